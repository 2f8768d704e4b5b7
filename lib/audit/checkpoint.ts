import type { PrismaClient } from '../db/generated/client';
import { log } from '../log';
import { APPEND_LOCK_KEY } from './chain';
import { appendCheckpointFile, readCheckpointFile, toLine } from './checkpoint-file';
import { keyMap, signCheckpoint, signatureValid, type Checkpoint, type SigningKey } from './signing';

/**
 * Signed checkpoints of the audit chain's head: { seq, hash, time, keyId, signature }, stored in
 * audit_checkpoint AND appended to a file outside the database (and POSTed to a witness when configured).
 * A checkpoint is taken under the append lock, so it always records a committed head:
 * - every `rows` rows (the writer of a seq divisible by `rows` asks for one),
 * - right after any row whose action is in `actions` (always 'ip.reveal'),
 * - every `minutes` minutes when rows were appended since the last one (startTimer),
 * always AFTER the appending transaction ends: appendAudit only asks; the checkpoint's own transaction waits
 * on the append lock, which the appending transaction holds until it commits or rolls back. Requests are
 * coalesced per process (one checkpoint in flight, one more queued), so a burst gives one or two checkpoints
 * that cover every row of the burst.
 */
export interface CheckpointerOptions {
  prisma: () => PrismaClient;
  key: SigningKey;
  file: string;
  rows: number;
  actions: readonly string[];
  witnessUrl?: string;
}

/** Sign and store a checkpoint of the current head; null when the head is already checkpointed (or empty). */
export async function writeCheckpoint(prisma: PrismaClient, key: SigningKey): Promise<Checkpoint | null> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
      const head = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
      if (!head) return null;
      const last = await tx.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
      if (last && last.seq >= head.seq) return null;
      const c = signCheckpoint(key, head);
      await tx.auditCheckpoint.create({ data: c });
      return c;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

export class Checkpointer {
  private pending: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly actions: Set<string>;
  private readonly every: bigint;

  constructor(readonly o: CheckpointerOptions) {
    this.actions = new Set(o.actions);
    this.every = BigInt(o.rows);
  }

  /** Called by appendAudit for each row it inserts (inside the appending transaction). */
  note(seq: bigint, action: string): void {
    if (this.actions.has(action) || seq % this.every === 0n) this.request();
  }

  /** Ask for a checkpoint soon (after any open append commits). */
  request(): void {
    if (this.pending) {
      this.again = true;
      return;
    }
    this.pending = this.loop().finally(() => {
      this.pending = null;
    });
  }

  private async loop() {
    do {
      this.again = false;
      try {
        await this.checkpointNow();
      } catch (err) {
        log().error({ err }, 'audit checkpoint failed');
      }
    } while (this.again);
  }

  /** Take a checkpoint now: table, then file, then witness. */
  async checkpointNow(): Promise<Checkpoint | null> {
    const c = await writeCheckpoint(this.o.prisma(), this.o.key);
    if (!c) return null;
    appendCheckpointFile(this.o.file, c);
    log().info({ seq: c.seq.toString(), keyId: c.keyId }, 'audit checkpoint written');
    if (this.o.witnessUrl) await this.witness(c);
    return c;
  }

  private async witness(c: Checkpoint) {
    try {
      const res = await fetch(this.o.witnessUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: toLine(c),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) log().warn({ status: res.status, seq: c.seq.toString() }, 'audit witness refused the checkpoint');
    } catch (err) {
      log().warn({ err: (err as Error).name, seq: c.seq.toString() }, 'audit witness unreachable');
    }
  }

  /** Resolves when no checkpoint is in flight or queued. */
  async flush(): Promise<void> {
    while (this.pending) await this.pending;
  }

  /**
   * Append to the file the table's validly signed checkpoints it lacks (a crash between the commit and the
   * file append). Only checkpoints signed with this key: nothing the database alone could forge.
   */
  async syncFile(): Promise<number> {
    const file = readCheckpointFile(this.o.file);
    const have = new Set(file.records.map((r) => r.seq));
    const keys = keyMap([this.o.key.publicKey]);
    const table = await this.o.prisma().auditCheckpoint.findMany({ orderBy: { seq: 'asc' } });
    let added = 0;
    for (const c of table)
      if (!have.has(c.seq) && signatureValid(c, keys)) {
        appendCheckpointFile(this.o.file, c);
        added++;
      }
    return added;
  }

  startTimer(minutes: number): void {
    if (minutes <= 0) return;
    this.timer = setInterval(() => this.request(), minutes * 60_000);
    this.timer.unref();
  }

  /** Stop the timer and wait for what is in flight; `final`: first checkpoint the head (server shutdown). */
  async stop(o: { final?: boolean } = {}): Promise<void> {
    clearInterval(this.timer);
    if (o.final) this.request();
    await this.flush();
  }
}

// on globalThis: Next.js bundles the web tier's copy of this module apart from the server's own
const g = globalThis as unknown as { __maskpatrolCheckpointer?: Checkpointer };

/** Install the process's checkpointer (server start; tests). Without one, appends take no checkpoints. */
export function installCheckpointer(o: CheckpointerOptions | undefined): Checkpointer | undefined {
  const old = g.__maskpatrolCheckpointer;
  if (old) void old.stop();
  g.__maskpatrolCheckpointer = o ? new Checkpointer(o) : undefined;
  return g.__maskpatrolCheckpointer;
}

export function currentCheckpointer(): Checkpointer | undefined {
  return g.__maskpatrolCheckpointer;
}

export function noteAuditAppended(seq: bigint, action: string): void {
  g.__maskpatrolCheckpointer?.note(seq, action);
}
