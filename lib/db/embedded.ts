import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './lock';
import { PgliteSocketServer } from './pglite-server';
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

export async function shareOverSocket(embedded: EmbeddedDb): Promise<{ socketDir: string; stop(): Promise<void> }> {
  const socketDir = socketDirFor(embedded.dataDir);
  const socketPath = socketPathFor(embedded.dataDir);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH)
    throw new Error(
      `The data directory path is too long for its Unix socket (${socketPath}); choose a shorter MASKPATROL_DATA_DIR.`,
    );
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(socketDir, 0o700);
  fs.rmSync(socketPath, { force: true }); // left by a crashed owner; we hold the lock now
  const server = new PgliteSocketServer(embedded.pglite, socketPath);
  await server.start();
  return {
    socketDir,
    async stop() {
      await server.stop();
      fs.rmSync(socketPath, { force: true });
    },
  };
}
