import { loadConfig } from '../config';
import { db, type Tx } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import { readOrCreateSecret } from '../keys/store';
import { hashPassword, verifyPassword } from './password';
import { TOTP_REQUIRED_ROLES, type RoleHolding } from './permissions';
import { decryptSecret, encryptSecret, generateRecoveryCodes, matchStep, normaliseRecoveryCode } from './totp';

/**
 * The database side of the second factor: the encryption key, code verification with replay protection,
 * and single-use recovery codes. Codes and secrets never leave this module except to the one caller that
 * asked (enrolment shows the secret and the recovery codes once).
 */
export const TOTP_KEY_NAME = 'totp-key';

/** The TOTP encryption key from the key store (created on first use), read per call (rotation-free for now). */
export function totpKey(keysDir = loadConfig().keysDir): Buffer {
  return readOrCreateSecret(keysDir, TOTP_KEY_NAME).subarray(0, 32);
}

export function sealSecret(userId: string, base32: string, keysDir?: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(encryptSecret(totpKey(keysDir), userId, base32));
}

export function openSecret(userId: string, stored: Uint8Array, keysDir?: string): string {
  return decryptSecret(totpKey(keysDir), userId, stored);
}

/** Whether the roles make a second factor mandatory (roles as data: TOTP_REQUIRED_ROLES). */
export function totpRequired(roles: RoleHolding[]): boolean {
  return roles.some((h) => TOTP_REQUIRED_ROLES.includes(h.role));
}

type Client = PrismaClient | Tx;

/**
 * Accept a code for a secret only if its time step is later than the last accepted one; the conditional
 * update makes two concurrent uses of the same code race to one winner.
 */
export async function acceptStep(client: Client, userId: string, step: number): Promise<boolean> {
  const { count } = await client.user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}

/** Verify a TOTP code against the user's enrolled secret (±1 step, no replay). */
export async function verifyTotp(userId: string, code: string, now = Date.now(), client: Client = db()): Promise<boolean> {
  const user = await client.user.findUnique({ where: { id: userId }, select: { totpSecretEnc: true } });
  if (!user?.totpSecretEnc) return false;
  const step = matchStep(openSecret(userId, user.totpSecretEnc), code, now);
  if (step === null) return false;
  return acceptStep(client, userId, step);
}

/** Consume a recovery code: true once per code. */
export async function consumeRecoveryCode(userId: string, input: string, client: Client = db()): Promise<boolean> {
  const code = normaliseRecoveryCode(input);
  if (!code) return false;
  const rows = await client.recoveryCode.findMany({ where: { userId, usedAt: null }, select: { id: true, hash: true } });
  // argon2 runs on the thread pool: check the (at most ten) hashes concurrently
  const matches = await Promise.all(rows.map((r) => verifyPassword(r.hash, code)));
  const hit = rows[matches.indexOf(true)];
  if (!hit) return false;
  const { count } = await client.recoveryCode.updateMany({ where: { id: hit.id, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

export type SecondFactor = 'totp' | 'recovery';

/** A TOTP code, or else a recovery code; null when neither is valid. */
export async function verifySecondFactor(userId: string, input: string, now = Date.now()): Promise<SecondFactor | null> {
  const trimmed = input.trim().slice(0, 32);
  if (/^[\d\s-]+$/.test(trimmed)) return (await verifyTotp(userId, trimmed, now)) ? 'totp' : null;
  return (await consumeRecoveryCode(userId, trimmed)) ? 'recovery' : null;
}

/** Replace a user's recovery codes with fresh ones; returns the plaintext codes (show once). */
export async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => hashPassword(c)));
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((hash) => ({ userId, hash })) });
  return codes;
}
