import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key store: a directory (default ./keys, mode 0700) kept apart from the database and its data
 * directory, so that a backup of one is not a backup of the other. Files are 0600, one secret each.
 * Secrets never enter the database, logs, errors or exports. Layout: `session-secret`; `pseudonym/` (epoch
 * keys and epochs.json, see lib/keys/epochs.ts); `vault/` (one data key per day, see lib/keys/vault-keys.ts).
 */
export function ensureKeyDir(keysDir: string): void {
  fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(keysDir, 0o700);
}

/** Read a named secret, creating it from the CSPRNG (256 bits by default) on first use. */
export function readOrCreateSecret(keysDir: string, name: string, bytes = 32): Buffer {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new Error('invalid key name');
  ensureKeyDir(keysDir);
  const file = path.join(keysDir, name);
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    fs.writeSync(fd, randomBytes(bytes).toString('base64') + '\n');
    fs.closeSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const value = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (value.length < bytes) throw new Error(`The key file "${name}" in the key store is damaged (too short).`);
  return value;
}

/** Read a key file (base64, ≥ 32 bytes); null when it does not exist (never created, or destroyed). */
export function readKeyFile(dir: string, name: string, bytes = 32): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, name), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const value = Buffer.from(text.trim(), 'base64');
  if (value.length < bytes) throw new Error(`The key file "${name}" in the key store is damaged (too short).`);
  return value;
}

/** Create a fresh key file from the CSPRNG; false if it already exists (another process won the race). */
export function createKeyFile(dir: string, name: string, bytes = 32): boolean {
  ensureKeyDir(dir);
  try {
    const fd = fs.openSync(path.join(dir, name), 'wx', 0o600);
    try {
      fs.writeSync(fd, randomBytes(bytes).toString('base64') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Destroy a key file: overwrite it with random bytes, flush, unlink. (On copy-on-write or journalling
 * file systems and SSDs the overwrite is best effort; the unlink is what the application relies on —
 * keep the key store off backups, or give it a retention no longer than the vault's.)
 */
export function destroyKeyFile(dir: string, name: string): boolean {
  const file = path.join(dir, name);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, randomBytes(Math.max(size, 1)), 0, Math.max(size, 1), 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
  return true;
}

/** Write a small metadata file atomically (temp file + rename), mode 0600. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Run `fn` holding an exclusive lock file in `dir` (one key-store writer at a time, across processes). */
export function withKeyStoreLock<T>(dir: string, fn: () => T): T {
  ensureKeyDir(dir);
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // a lock older than 30 s belongs to a crashed writer
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.unlinkSync(lock);
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error('The key store is locked by another process.');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
