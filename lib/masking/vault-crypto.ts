import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Vault record encryption: AES-256-GCM with the day's data key, a random 96-bit nonce per record and the
 * record's identity (id and day) bound as associated data, so a ciphertext moved to another row or day
 * does not decrypt. The stored ciphertext is the GCM output followed by its 128-bit tag.
 */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface VaultPlain {
  /** canonical IP */
  ip: string;
  userAgent?: string;
}

export class VaultDecryptError extends Error {
  override name = 'VaultDecryptError';
  constructor(message = 'The vault record cannot be decrypted (its day key is destroyed, or the record was altered).') {
    super(message);
  }
}

/** Nonces come from a CSPRNG pool refilled 1,024 nonces at a time (one randomBytes call per refill). */
const POOL_NONCES = 1024;
let pool = Buffer.alloc(0);
let poolAt = 0;
function nextNonce(): Buffer {
  if (poolAt + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * POOL_NONCES);
    poolAt = 0;
  }
  const n = pool.subarray(poolAt, poolAt + NONCE_BYTES);
  poolAt += NONCE_BYTES;
  return n;
}

export function associatedData(id: string, day: string): Buffer {
  return Buffer.from(`maskpatrol/vault/v1\u0000${id}\u0000${day}`, 'utf8');
}

/**
 * associatedData written into one reusable buffer (setAAD consumes it before returning): for the usual
 * record, a 36-character UUID and a 10-character day in ASCII, the same 67 bytes without an allocation.
 * The scratch space has room for any 36 + 10 characters, so a byte count equal to the character count
 * proves ASCII; anything else takes the general path.
 */
const AAD_PREFIX = 'maskpatrol/vault/v1\u0000';
const AAD_ID_AT = AAD_PREFIX.length;
const AAD_DAY_AT = AAD_ID_AT + 36 + 1;
const aadScratch = Buffer.alloc(AAD_DAY_AT + 64 + 10 * 4);
aadScratch.write(AAD_PREFIX, 0, 'latin1');
const aadUsual = aadScratch.subarray(0, AAD_DAY_AT + 10);
function scratchAssociatedData(id: string, day: string): Buffer {
  if (id.length !== 36 || day.length !== 10) return associatedData(id, day);
  if (aadScratch.write(id, AAD_ID_AT, 'utf8') !== 36) return associatedData(id, day);
  aadScratch[AAD_DAY_AT - 1] = 0;
  if (aadScratch.write(day, AAD_DAY_AT, 'utf8') !== 10) return associatedData(id, day);
  return aadUsual;
}

export function encryptRecord(
  key: KeyObject,
  id: string,
  day: string,
  plain: VaultPlain,
): { nonce: Buffer; ciphertext: Buffer } {
  const nonce = nextNonce();
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  c.setAAD(scratchAssociatedData(id, day));
  const body = `{"v":1,"ip":${JSON.stringify(plain.ip)}${plain.userAgent ? `,"ua":${JSON.stringify(plain.userAgent)}` : ''}}`;
  const ciphertext = Buffer.concat([c.update(body, 'utf8'), c.final(), c.getAuthTag()]);
  return { nonce, ciphertext };
}

/** Decrypt and authenticate; throws VaultDecryptError (never the plaintext, never the key) on any failure. */
export function decryptRecord(key: KeyObject, id: string, day: string, nonce: Uint8Array, ciphertext: Uint8Array): VaultPlain {
  try {
    if (nonce.length !== NONCE_BYTES || ciphertext.length < TAG_BYTES) throw new Error('bad sizes');
    const ct = Buffer.from(ciphertext);
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce), { authTagLength: TAG_BYTES });
    d.setAAD(associatedData(id, day));
    d.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
    const text = Buffer.concat([d.update(ct.subarray(0, ct.length - TAG_BYTES)), d.final()]).toString('utf8');
    const o = JSON.parse(text) as { v: number; ip: string; ua?: string };
    if (o.v !== 1 || typeof o.ip !== 'string') throw new Error('bad record');
    return o.ua === undefined ? { ip: o.ip } : { ip: o.ip, userAgent: o.ua };
  } catch {
    throw new VaultDecryptError();
  }
}
