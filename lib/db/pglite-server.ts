import fs from 'node:fs';
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Shares one PGlite over a Unix socket with many PostgreSQL clients (the web tier's pool, CLI tools).
 *
 * PGlite is a single backend, so clients take turns. The unit of a turn is a whole protocol exchange up to
 * Sync (extended protocol: Parse/Bind/Describe/Execute/Sync) or one simple Query — never a single message.
 * (@electric-sql/pglite-socket interleaves single messages of different clients, so one client's Parse of
 * the unnamed statement can replace another's between its Parse and Bind: "bind message supplies 2
 * parameters, but prepared statement requires 3". We hit that under concurrent ingest and page loads.)
 * A client that leaves a transaction open keeps the backend until it ends it; if it disconnects inside a
 * transaction, the transaction is rolled back.
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
/** message types that end a client's turn */
const TURN_END = new Set(['S', 'Q', 'H'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

interface Turn {
  /** null: the server's own turn (its output is discarded) */
  conn: Connection | null;
  bytes: Uint8Array;
}

/** A simple-protocol Query message. */
function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const msg = Buffer.alloc(5 + text.length);
  msg.write('Q', 0, 'ascii');
  msg.writeInt32BE(4 + text.length, 1);
  text.copy(msg, 5);
  return new Uint8Array(msg);
}

export class PgliteSocketServer {
  private server: net.Server | null = null;
  private readonly queue: Turn[] = [];
  private owner: Connection | null = null;
  private running = false;
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly db: PGlite,
    private readonly path: string,
  ) {}

  async start(): Promise<void> {
    await this.db.waitReady;
    this.server = net.createServer((socket) => {
      const c = new Connection(this, socket);
      this.connections.add(c);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.path, () => resolve());
    });
    fs.chmodSync(this.path, 0o600);
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    // let a turn in progress finish before the database is closed
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  enqueue(turn: Turn): void {
    this.queue.push(turn);
    void this.pump();
  }

  async closed(conn: Connection): Promise<void> {
    this.connections.delete(conn);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.conn === conn) this.queue.splice(i, 1);
    if (this.owner === conn) {
      // roll the vanished client's transaction back before anyone else gets a turn (as a turn of the
      // server's own: PGlite's exec() would wait on the mutex a running turn holds)
      this.owner = null;
      this.queue.unshift({ conn: null, bytes: queryMessage('ROLLBACK') });
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const i = this.owner ? this.queue.findIndex((t) => t.conn === this.owner) : 0;
        if (i < 0 || this.queue.length === 0) return;
        const turn = this.queue.splice(i, 1)[0]!;
        if (turn.conn?.socket.destroyed) continue;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(turn.bytes, { onRawData: (data) => turn.conn?.write(data) }),
          );
        } catch (err) {
          turn.conn?.fail(err);
        }
        this.owner = turn.conn && this.db.isInTransaction() ? turn.conn : null;
        // the client vanished while its turn ran: closed() could not see it owned a transaction yet
        if (this.owner?.socket.destroyed) {
          this.owner = null;
          this.queue.unshift({ conn: null, bytes: queryMessage('ROLLBACK') });
        }
      }
    } finally {
      this.running = false;
    }
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];

  constructor(
    private readonly server: PgliteSocketServer,
    readonly socket: net.Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.server.closed(this));
  }

  write(data: Uint8Array): void {
    if (!this.socket.destroyed && data.length) this.socket.write(Buffer.from(data));
  }

  fail(_err: unknown): void {
    // the backend could not answer (it reports SQL errors itself in the protocol): drop this client
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const len = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (len < 8 || len > 10_000) return void this.socket.destroy();
        if (this.buffer.length < len) return;
        const msg = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          this.socket.write('N'); // no encryption on a local socket
          continue;
        }
        if (code === CANCEL_REQUEST) return void this.socket.destroy();
        this.started = true;
        this.server.enqueue({ conn: this, bytes: new Uint8Array(msg) });
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = this.buffer[0]!;
      const total = 1 + this.buffer.readInt32BE(1);
      if (total < 5) return void this.socket.destroy();
      if (this.buffer.length < total) return;
      const msg = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      if (type === TERMINATE) return void this.socket.end();
      this.pending.push(msg);
      if (TURN_END.has(type)) {
        const bytes = new Uint8Array(Buffer.concat(this.pending));
        this.pending = [];
        this.server.enqueue({ conn: this, bytes });
      }
    }
  }
}
