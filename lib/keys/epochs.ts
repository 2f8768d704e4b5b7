import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createKeyFile, destroyKeyFile, ensureKeyDir, readKeyFile, withKeyStoreLock, writeFileAtomic } from './store';

/**
 * Pseudonym key epochs, in the key store (never the database): `<keys>/pseudonym/epochs.json` holds the
 * metadata (id, created, retired, destroyed), `<keys>/pseudonym/<id>.key` each epoch's 256-bit key.
 * Exactly one epoch is current (not retired). Rotation retires it and creates the next; a retired key is
 * kept for the key retention period, then destroyed (its metadata stays, marked destroyed).
 */
export const ZEpochMeta = z.object({
  id: z.string().regex(/^e-\d{8}-[0-9a-f]{6}$/),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
  destroyedAt: z.string().nullable(),
});
export type EpochMeta = z.infer<typeof ZEpochMeta>;
const ZEpochFile = z.object({ version: z.literal(1), epochs: z.array(ZEpochMeta) });

const DAY_MS = 86_400_000;

export const epochDir = (keysDir: string) => path.join(keysDir, 'pseudonym');
const metaFile = (keysDir: string) => path.join(epochDir(keysDir), 'epochs.json');
const keyName = (id: string) => `${id}.key`;

export function readEpochs(keysDir: string): EpochMeta[] {
  let text: string;
  try {
    text = fs.readFileSync(metaFile(keysDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const parsed = ZEpochFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('The key store file pseudonym/epochs.json is damaged.');
  return parsed.data.epochs;
}

/** Modification time of the metadata (for cheap reload checks); 0 when absent. */
export function epochsVersion(keysDir: string): number {
  try {
    return fs.statSync(metaFile(keysDir)).mtimeMs;
  } catch {
    return 0;
  }
}

function writeEpochs(keysDir: string, epochs: EpochMeta[]): void {
  ensureKeyDir(epochDir(keysDir));
  writeFileAtomic(metaFile(keysDir), JSON.stringify({ version: 1, epochs }, null, 2) + '\n');
}

function newEpoch(keysDir: string, now: Date): EpochMeta {
  const id = `e-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  if (!createKeyFile(epochDir(keysDir), keyName(id))) throw new Error('Could not create a new epoch key.');
  return { id, createdAt: now.toISOString(), retiredAt: null, destroyedAt: null };
}

export function currentEpochMeta(epochs: EpochMeta[]): EpochMeta | undefined {
  return epochs.findLast((e) => e.retiredAt === null);
}

/** The current epoch, creating the first one on first use. */
export function ensureCurrentEpoch(keysDir: string, now: Date): EpochMeta {
  const cur = currentEpochMeta(readEpochs(keysDir));
  if (cur) return cur;
  return withKeyStoreLock(epochDir(keysDir), () => {
    const epochs = readEpochs(keysDir);
    const again = currentEpochMeta(epochs);
    if (again) return again;
    const e = newEpoch(keysDir, now);
    writeEpochs(keysDir, [...epochs, e]);
    return e;
  });
}

export function epochKey(keysDir: string, id: string): Buffer | null {
  if (!ZEpochMeta.shape.id.safeParse(id).success) return null;
  return readKeyFile(epochDir(keysDir), keyName(id));
}

/** Whether the current epoch is older than the epoch length. */
export function rotationDue(epoch: EpochMeta, now: Date, epochDays: number): boolean {
  return now.getTime() - Date.parse(epoch.createdAt) >= epochDays * DAY_MS;
}

export interface RotationResult {
  created: EpochMeta | null;
  retired: EpochMeta | null;
  /** epochs whose keys were destroyed now (retired longer than the retention) */
  destroyed: EpochMeta[];
}

/**
 * Rotate when due (or `force`), then destroy the keys of epochs retired for longer than `retentionDays`.
 * Idempotent: run it daily from cron; it only rotates when the epoch is due.
 */
export function rotateEpochs(
  keysDir: string,
  now: Date,
  opts: { epochDays: number; retentionDays: number; force?: boolean },
): RotationResult {
  return withKeyStoreLock(epochDir(keysDir), () => {
    let epochs = readEpochs(keysDir);
    const cur = currentEpochMeta(epochs);
    let created: EpochMeta | null = null;
    let retired: EpochMeta | null = null;
    if (!cur || opts.force || rotationDue(cur, now, opts.epochDays)) {
      created = newEpoch(keysDir, now);
      if (cur) retired = { ...cur, retiredAt: now.toISOString() };
      epochs = [...epochs.map((e) => (e.retiredAt === null ? { ...e, retiredAt: now.toISOString() } : e)), created];
    }
    const destroyed: EpochMeta[] = [];
    epochs = epochs.map((e) => {
      if (e.retiredAt === null || e.destroyedAt !== null) return e;
      if (now.getTime() - Date.parse(e.retiredAt) < opts.retentionDays * DAY_MS) return e;
      destroyKeyFile(epochDir(keysDir), keyName(e.id));
      const d = { ...e, destroyedAt: now.toISOString() };
      destroyed.push(d);
      return d;
    });
    writeEpochs(keysDir, epochs);
    return { created, retired, destroyed };
  });
}
