import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { ensureKeyDir } from '../keys/store';

/**
 * Checkpoint signatures: Ed25519 over the canonical JSON (RFC 8785) of { v, seq, hash, time, keyId }.
 * The private key lives in the key store (`audit-checkpoint-key.pem`, PKCS#8, 0600), created on first start,
 * never in the database; its public key is exportable (`npm run audit:key`) so that anyone can check
 * checkpoints without it. keyId: the first 16 hex digits of SHA-256 over the public key (SPKI DER).
 */
export const SIGNING_KEY_FILE = 'audit-checkpoint-key.pem';

export interface Checkpoint {
  seq: bigint;
  hash: string;
  createdAt: Date;
  keyId: string;
  /** base64 Ed25519 signature of checkpointPayload */
  signature: string;
}

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The audit checkpoint key is not an Ed25519 key.');
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** Read the key store's checkpoint key, creating it (O_EXCL: one creator wins a race) on first use. */
export function loadOrCreateSigningKey(keysDir: string): SigningKey {
  ensureKeyDir(keysDir);
  const file = path.join(keysDir, SIGNING_KEY_FILE);
  if (!fs.existsSync(file)) {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, pem);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return signingKeyFromPem(fs.readFileSync(file, 'utf8'));
}

/** The public key of the key store's checkpoint key, or null when none was created yet. */
export function readPublicKey(keysDir: string): KeyObject | null {
  const file = path.join(keysDir, SIGNING_KEY_FILE);
  if (!fs.existsSync(file)) return null;
  return signingKeyFromPem(fs.readFileSync(file, 'utf8')).publicKey;
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('The public key is not an Ed25519 key.');
  return key;
}

export function checkpointPayload(c: Pick<Checkpoint, 'seq' | 'hash' | 'createdAt' | 'keyId'>): string {
  const s = canonicalize({ v: 1, seq: c.seq.toString(), hash: c.hash, time: c.createdAt.toISOString(), keyId: c.keyId });
  if (s === undefined) throw new Error('checkpoint could not be serialised');
  return s;
}

export function signCheckpoint(key: SigningKey, head: { seq: bigint; hash: string }, createdAt = new Date()): Checkpoint {
  const c = { seq: head.seq, hash: head.hash, createdAt, keyId: key.keyId };
  return { ...c, signature: sign(null, Buffer.from(checkpointPayload(c)), key.privateKey).toString('base64') };
}

/** Whether a checkpoint carries a valid signature by one of the given public keys (by keyId). */
export function signatureValid(c: Checkpoint, keys: ReadonlyMap<string, KeyObject>): boolean {
  const key = keys.get(c.keyId);
  if (!key) return false;
  try {
    return verify(null, Buffer.from(checkpointPayload(c)), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export function keyMap(keys: (KeyObject | null | undefined)[]): Map<string, KeyObject> {
  const m = new Map<string, KeyObject>();
  for (const k of keys) if (k) m.set(keyIdOf(k), k);
  return m;
}
