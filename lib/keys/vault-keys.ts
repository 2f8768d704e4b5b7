import fs from 'node:fs';
import path from 'node:path';
import { createKeyFile, destroyKeyFile, readKeyFile } from './store';

/**
 * Vault data keys: one 256-bit AES key per UTC day, `<keys>/vault/<YYYY-MM-DD>.key`, in the key store and
 * never in the database (where every backup would keep them). Destroying a day's key crypto-shreds every
 * vault record of that day, in the database and in all of its backups.
 */
export const vaultKeyDir = (keysDir: string) => path.join(keysDir, 'vault');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of an instant, "YYYY-MM-DD". */
export function vaultDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A day's key; created (from the CSPRNG) when `create` and absent. Null once destroyed. */
export function vaultDayKey(keysDir: string, day: string, create: boolean): Buffer | null {
  if (!DAY.test(day)) throw new Error('invalid vault day');
  const dir = vaultKeyDir(keysDir);
  const existing = readKeyFile(dir, `${day}.key`);
  if (existing || !create) return existing;
  createKeyFile(dir, `${day}.key`);
  return readKeyFile(dir, `${day}.key`);
}

/** Days that still have a key, oldest first. */
export function vaultKeyDays(keysDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(vaultKeyDir(keysDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => n.endsWith('.key') && DAY.test(n.slice(0, -4)))
    .map((n) => n.slice(0, -4))
    .sort();
}

export function destroyVaultDayKey(keysDir: string, day: string): boolean {
  if (!DAY.test(day)) throw new Error('invalid vault day');
  return destroyKeyFile(vaultKeyDir(keysDir), `${day}.key`);
}

/** The first day still inside the retention period: days before it are expired. */
export function retentionCutoffDay(now: Date, retentionDays: number): string {
  return vaultDay(new Date(now.getTime() - retentionDays * 86_400_000));
}
