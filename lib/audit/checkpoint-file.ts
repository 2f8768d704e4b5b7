import fs from 'node:fs';
import path from 'node:path';
import type { Checkpoint } from './signing';

/**
 * The checkpoint file: one JSON line per checkpoint, opened O_APPEND (each line one write, so appends of
 * several processes never interleave within a line) and fsynced. It lives outside the database (default
 * in the key store) so that someone who can rewrite the database cannot also remove what it recorded.
 */
export interface FileRecord extends Checkpoint {
  line: number;
}

export interface CheckpointFile {
  exists: boolean;
  records: FileRecord[];
  /** lines that are not a well-formed checkpoint (named by line number) */
  bad: number[];
}

export function toLine(c: Checkpoint): string {
  return (
    JSON.stringify({ seq: c.seq.toString(), hash: c.hash, time: c.createdAt.toISOString(), keyId: c.keyId, signature: c.signature }) + '\n'
  );
}

export function appendCheckpointFile(file: string, c: Checkpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, toLine(c));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function parseCheckpointFile(text: string): Omit<CheckpointFile, 'exists'> {
  const records: FileRecord[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const o = JSON.parse(raw) as Record<string, unknown>;
      const ok =
        typeof o.seq === 'string' && /^[1-9][0-9]*$/.test(o.seq) &&
        typeof o.hash === 'string' && typeof o.time === 'string' && typeof o.keyId === 'string' && typeof o.signature === 'string';
      const createdAt = new Date(String(o.time));
      if (!ok || Number.isNaN(createdAt.getTime())) throw new Error('malformed');
      records.push({ seq: BigInt(o.seq as string), hash: o.hash as string, createdAt, keyId: o.keyId as string, signature: o.signature as string, line: i + 1 });
    } catch {
      bad.push(i + 1);
    }
  });
  return { records, bad };
}

export function readCheckpointFile(file: string): CheckpointFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, records: [], bad: [] };
    throw e;
  }
  return { exists: true, ...parseCheckpointFile(text) };
}
