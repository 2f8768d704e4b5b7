import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquireDataDirLock, type DataDirLock } from './lock';
import { socketDirFor, socketPathFor } from './socket';

/**
 * The embedded default: PGlite (PostgreSQL in WebAssembly) in <dataDir>/pglite, owned by exactly one
 * process (see lock.ts). The owner shares it with the web tier and the command-line tools over a Unix
 * socket; nobody else opens the directory.
 */
export interface EmbeddedDb {
  pglite: PGlite;
  lock: DataDirLock;
  dataDir: string;
  close(): Promise<void>;
}

export async function openEmbedded(dataDir: string, role: string): Promise<EmbeddedDb> {
  const lock = acquireDataDirLock(dataDir, role);
  try {
    const dbDir = path.join(dataDir, 'pglite');
    fs.mkdirSync(dbDir, { recursive: true, mode: 0o700 });
    const pglite = await PGlite.create(dbDir);
    let closed = false;
    return {
      pglite,
      lock,
      dataDir,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Unix socket paths are limited to 107 bytes on Linux. */
const MAX_SOCKET_PATH = 100;

export async function shareOverSocket(embedded: EmbeddedDb, maxConnections = 24): Promise<{ socketDir: string; stop(): Promise<void> }> {
  const socketDir = socketDirFor(embedded.dataDir);
  const socketPath = socketPathFor(embedded.dataDir);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH)
    throw new Error(
      `The data directory path is too long for its Unix socket (${socketPath}); choose a shorter MASKPATROL_DATA_DIR.`,
    );
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(socketDir, 0o700);
  fs.rmSync(socketPath, { force: true }); // left by a crashed owner; we hold the lock now
  const server = new PGLiteSocketServer({ db: pinSequences(embedded.pglite), path: socketPath, maxConnections });
  await server.start();
  return {
    socketDir,
    async stop() {
      await server.stop();
      fs.rmSync(socketPath, { force: true });
    },
  };
}

/** Extended-query protocol messages that open or continue a sequence (Parse, Bind, Describe, Execute, Close, Flush). */
const IN_SEQUENCE = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
/** Messages that end one (Sync, simple Query, Terminate). */
const END_SEQUENCE = new Set([0x53, 0x51, 0x58]);

/**
 * The socket server multiplexes its clients message by message and keeps one client's messages together
 * only while PGlite reports an open transaction. An extended-query sequence (Parse … Sync) outside a
 * transaction is not kept together, so another client's Parse could replace the unnamed statement or
 * portal in between ("unnamed prepared statement does not exist", "portal \"\" does not exist") — seen
 * when a CLI tool ran while the server ingested. This view of the database reports "in transaction" from
 * a sequence's first message to its Sync as well, which makes the server serve that client alone until
 * the sequence ends.
 */
function pinSequences(pglite: PGlite): PGlite {
  let midSequence = false;
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => midSequence || target.isInTransaction();
      if (prop === 'execProtocolRawStream')
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const type = message[0] ?? 0;
          if (IN_SEQUENCE.has(type)) midSequence = true;
          else if (END_SEQUENCE.has(type)) midSequence = false;
          return target.execProtocolRawStream(message, options);
        };
      if (prop === 'exec')
        return (query: string, options?: Parameters<PGlite['exec']>[1]) => {
          // the server rolls back after a client left mid-transaction: its sequence is over too
          if (/^\s*rollback/i.test(query)) midSequence = false;
          return target.exec(query, options);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
