import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) through the otpauth library: SHA-1, 6 digits, 30-second steps, ±1 step accepted.
 * Pure functions: the database side (replay protection, recovery codes) is lib/auth/second-factor.ts.
 *
 * Secrets at rest: AES-256-GCM under the key store's `totp-key`, a random 96-bit nonce per encryption and
 * the user id bound as associated data (a ciphertext copied to another account does not decrypt).
 * Stored as nonce ‖ ciphertext ‖ tag.
 */
export const TOTP_ISSUER = 'maskpatrol';
export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

const NONCE = 12;
const TAG = 16;

export class TotpDecryptError extends Error {
  override name = 'TotpDecryptError';
  constructor() {
    super('A TOTP secret cannot be decrypted (wrong key store, or the row was altered).');
  }
}

function aad(userId: string): Buffer {
  return Buffer.from(`maskpatrol/totp/v1\u0000${userId}`, 'utf8');
}

export function encryptSecret(key: Buffer, userId: string, base32: string): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
  c.setAAD(aad(userId));
  return Buffer.concat([nonce, c.update(base32, 'utf8'), c.final(), c.getAuthTag()]);
}

export function decryptSecret(key: Buffer, userId: string, stored: Uint8Array): string {
  try {
    const b = Buffer.from(stored);
    if (b.length < NONCE + TAG + 1) throw new Error('short');
    const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, NONCE), { authTagLength: TAG });
    d.setAAD(aad(userId));
    d.setAuthTag(b.subarray(b.length - TAG));
    return Buffer.concat([d.update(b.subarray(NONCE, b.length - TAG)), d.final()]).toString('utf8');
  } catch {
    throw new TotpDecryptError();
  }
}

/** A fresh 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps expect. */
export function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(base32: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(base32),
  });
}

/** The otpauth:// URI for the QR code (carries the secret: never log it, never put it in a URL of ours). */
export function otpauthUri(base32: string, username: string): string {
  return totp(base32, username).toString();
}

export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_S);
}

/** Only digits (spaces and dashes allowed for readability), the right length. */
export function normaliseCode(code: string): string | null {
  const c = code.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(c) ? c : null;
}

/**
 * The time step a code belongs to (within ±1 step of now), or null. The caller must still refuse a step
 * at or before the last accepted one (replay).
 */
export function matchStep(base32: string, code: string, nowMs = Date.now()): number | null {
  const c = normaliseCode(code);
  if (!c) return null;
  const delta = totp(base32).validate({ token: c, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : timeStep(nowMs) + delta;
}

/** The code of a time step (tests and the e2e helper compute codes the way an authenticator app does). */
export function codeFor(base32: string, nowMs = Date.now()): string {
  return totp(base32).generate({ timestamp: nowMs });
}

// Recovery codes: 10 characters from an unambiguous 31-character alphabet, "xxxxx-xxxxx" ≈ 49 bits each.
const RC_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RC_PATTERN = /^[a-z2-9]{5}-?[a-z2-9]{5}$/;

export function generateRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  const one = () => Array.from({ length: 10 }, () => RC_ALPHABET[randomInt(RC_ALPHABET.length)]).join('');
  return Array.from({ length: n }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** Canonical form of something typed as a recovery code ("ABCDE FGHJK" → "abcde-fghjk"), or null. */
export function normaliseRecoveryCode(input: string): string | null {
  const c = input.trim().toLowerCase().replace(/\s+/g, '-');
  if (!RC_PATTERN.test(c)) return null;
  const flat = c.replace('-', '');
  return `${flat.slice(0, 5)}-${flat.slice(5)}`;
}
