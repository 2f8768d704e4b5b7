import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key store: a directory (default ./keys, mode 0700) kept apart from the database and its data
 * directory, so that a backup of one is not a backup of the other. Files are 0600, one secret each.
 * Secrets never enter the database, logs, errors or exports. (Step 2 adds pseudonym epochs and vault keys.)
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
