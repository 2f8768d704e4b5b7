import type { PrismaClient } from '../db/generated/client';
import type { Tx } from '../db/client';
import { NotFoundError } from '../errors';
import type { KeyRing } from './keyring';
import type { VaultWrite } from './types';
import { decryptRecord, VaultDecryptError, type VaultPlain } from './vault-crypto';

/**
 * The vault in the database: rows written by the masking boundary (in the same transaction as the masked
 * edit) and read back by the gated reveal (step 8) inside its audited transaction. Only ciphertext is
 * stored; the day keys live in the key store.
 */
export const dayToDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const dateToDay = (d: Date) => d.toISOString().slice(0, 10);

export async function writeVault(tx: Tx | PrismaClient, writes: VaultWrite[]): Promise<number> {
  if (!writes.length) return 0;
  const r = await tx.vaultRecord.createMany({
    data: writes.map((w) => ({
      id: w.id,
      day: dayToDate(w.day),
      nonce: new Uint8Array(w.nonce),
      ciphertext: new Uint8Array(w.ciphertext),
    })),
  });
  return r.count;
}

/** Raised when the record exists but its day key was destroyed (retention): the IP is gone for good. */
export class VaultShreddedError extends VaultDecryptError {
  override name = 'VaultShreddedError';
  constructor() {
    super('This vault record has expired: its day key was destroyed under the retention policy.');
  }
}

/**
 * Decrypt one vault record. Call it inside the caller's audited transaction (the reveal commits its audit
 * row with the read, or not at all). Throws NotFoundError, VaultShreddedError or VaultDecryptError —
 * none of them carries the record's content.
 */
export async function readVaultRecord(tx: Tx | PrismaClient, keys: KeyRing, id: string): Promise<VaultPlain> {
  const row = await tx.vaultRecord.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('No such vault record.');
  return decryptRow(keys, row);
}

export function decryptRow(
  keys: KeyRing,
  row: { id: string; day: Date | string; nonce: Uint8Array; ciphertext: Uint8Array },
): VaultPlain {
  const day = typeof row.day === 'string' ? row.day.slice(0, 10) : dateToDay(row.day);
  const key = keys.vaultKey(day);
  if (!key) throw new VaultShreddedError();
  return decryptRecord(key, row.id, day, row.nonce, row.ciphertext);
}
