import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Exclusive ownership of an embedded (PGlite) data directory.
 *
 * PGlite has no lock of its own: a second process opening the same directory corrupts it. The owner writes
 * `maskpatrol.pid` with O_EXCL; anyone else finds it, sees the owner alive and refuses with a clear message.
 * A lock left by a dead process (crash, SIGKILL) is taken over. Residual race, documented in
 * ARCHITECTURE.md: two processes taking over the *same stale* lock in the same millisecond.
 */
export const LOCK_FILE = 'maskpatrol.pid';

export interface LockInfo {
  pid: number;
  host: string;
  role: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The data directory ${dataDir} is in use by another maskpatrol process ` +
        `(${holder.role}, pid ${holder.pid}, since ${holder.startedAt}). ` +
        `Only one server may own an embedded database. Stop that process first, or point this one at ` +
        `another directory with MASKPATROL_DATA_DIR.`,
    );
  }
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}

export function isAlive(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return true; // cannot tell: assume alive, never steal
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of the directory, or null when nobody holds it. */
export function liveOwner(dataDir: string): LockInfo | null {
  const info = readLock(dataDir);
  return info && isAlive(info) ? info : null;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function acquireDataDirLock(dataDir: string, role: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), role, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(mine));
      fs.closeSync(fd);
      return makeHandle(lockPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dataDir);
      if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
      // stale (owner died) or half-written: take it over
      try {
        fs.unlinkSync(lockPath);
      } catch {
        /* someone else removed it first; retry */
      }
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}; try again.`);
}

function makeHandle(lockPath: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const info = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
      if (info.pid === process.pid) fs.unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return { path: lockPath, release };
}
