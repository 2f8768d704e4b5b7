import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { createKeyFile, destroyKeyFile, readKeyFile } from '../keys/store';
import { networkBytes, type CanonicalIp, type IpFamily } from '../masking/ip';
import { actorPseudonym, rangePseudonym, type Pseudonym, type PseudonymKey } from '../masking/pseudonym';

/**
 * A block's anchor: the network it blocks (an address for an actor block, a prefix for a range block), kept
 * only encrypted — AES-256-GCM under a key of the block's own in the key store (`<keys>/blocks/<id>.key`), the
 * block id bound as associated data. The key is destroyed when the block ends (unblock or expiry), which
 * crypto-shreds the anchor. While the block lives, the anchor lets enforcement recompute the block's pseudonym
 * in any epoch (after `keys:rotate`) without any vault record (after the vault retention shredded the edits).
 * The decrypted anchor never leaves the server process: no page, response, log or audit row carries it.
 */
export interface Anchor {
  family: IpFamily;
  /** 32 / 128 for an actor (one address); the range's prefix length otherwise */
  prefix: number;
  /** full-length bytes (4 or 16), host bits zeroed for a range */
  bytes: Buffer;
}

export const blockKeyDir = (keysDir: string) => path.join(keysDir, 'blocks');
const keyName = (id: string) => {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('invalid block id');
  return `${id}.key`;
};
const aad = (id: string) => Buffer.from(`maskpatrol/block-anchor/v1\u0000${id}`, 'utf8');

/** The anchor of `ip` at `/prefix` (prefix = full length: the address itself). */
export function anchorOf(ip: CanonicalIp, prefix: number): Anchor {
  const full = ip.family === 4 ? 4 : 16;
  const bytes = Buffer.alloc(full);
  networkBytes(ip.bytes, prefix).copy(bytes);
  return { family: ip.family, prefix, bytes };
}

export const isActorAnchor = (a: Anchor) => a.prefix === (a.family === 4 ? 32 : 128);

/** The anchor's pseudonym under an epoch key: the actor pseudonym for an address, else the range pseudonym. */
export function anchorPseudonym(key: PseudonymKey, a: Anchor): Pseudonym {
  const ip: CanonicalIp = { family: a.family, bytes: a.bytes, text: '' };
  return isActorAnchor(a) ? actorPseudonym(key, ip) : rangePseudonym(key, ip, a.prefix);
}

/** Create the block's key (fresh from the CSPRNG) and seal the anchor under it. */
export function sealAnchor(keysDir: string, id: string, a: Anchor): Buffer {
  const dir = blockKeyDir(keysDir);
  createKeyFile(dir, keyName(id));
  const key = readKeyFile(dir, keyName(id));
  if (!key) throw new Error('Could not create the block key.');
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key.subarray(0, 32), nonce, { authTagLength: 16 });
  c.setAAD(aad(id));
  const body = Buffer.concat([Buffer.from([1, a.family, a.prefix]), a.bytes]);
  return Buffer.concat([nonce, c.update(body), c.final(), c.getAuthTag()]);
}

/** Open a block's anchor; null when its key is gone (the block ended) or the ciphertext was altered. */
export function openAnchor(keysDir: string, id: string, sealed: Uint8Array): Anchor | null {
  const key = readKeyFile(blockKeyDir(keysDir), keyName(id));
  if (!key || sealed.length < 12 + 16 + 3) return null;
  try {
    const buf = Buffer.from(sealed);
    const d = createDecipheriv('aes-256-gcm', key.subarray(0, 32), buf.subarray(0, 12), { authTagLength: 16 });
    d.setAAD(aad(id));
    d.setAuthTag(buf.subarray(buf.length - 16));
    const body = Buffer.concat([d.update(buf.subarray(12, buf.length - 16)), d.final()]);
    const family = body[1] as IpFamily;
    if (body[0] !== 1 || (family !== 4 && family !== 6) || body.length !== 3 + (family === 4 ? 4 : 16)) return null;
    return { family, prefix: body[2]!, bytes: body.subarray(3) };
  } catch {
    return null;
  }
}

/** Destroy the block's key (overwrite, unlink): its anchor can never be opened again. */
export function destroyAnchorKey(keysDir: string, id: string): boolean {
  return destroyKeyFile(blockKeyDir(keysDir), keyName(id));
}
