import crypto, { createHash } from 'node:crypto';
import { networkBytes, type CanonicalIp, type IpFamily } from './ip';

/**
 * Keyed pseudonyms. Every pseudonym is HMAC-SHA-256(epoch key, domain || data); the domains keep actor,
 * range and user-agent pseudonyms apart (an IPv4 /32 range never equals the actor pseudonym of that IP).
 *
 * The full HMAC (64 hex characters) is the identity: it is what is stored, compared and joined on.
 * The display form (e.g. "IP-7K3Q-9XD2": the first 40 bits in Crockford base32) is only a label for
 * people; two different actors may share a display form (a collision is expected after ~2^20 actors in
 * one epoch) and stay distinct actors because their keys differ.
 */
export interface Pseudonym {
  /** hex HMAC-SHA-256: the identity */
  key: string;
  /** human label, not unique */
  display: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of base32 shown by default: 8 characters = 40 bits. */
export const DISPLAY_CHARS = 8;

const ACTOR_DOMAIN: Record<IpFamily, Buffer> = { 4: Buffer.from('actor/v4/'), 6: Buffer.from('actor/v6/') };
const UA_DOMAIN = Buffer.from('ua/');
/** range domains, indexed by family and prefix length ("range/v4/24/") */
const rangeDomains: Buffer[] = [];

function rangeDomain(family: IpFamily, prefix: number): Buffer {
  const k = family * 256 + prefix;
  let d = rangeDomains[k];
  if (!d) {
    d = Buffer.from(`range/v${family}/${prefix}/`);
    rangeDomains[k] = d;
  }
  return d;
}

/** Crockford base32 of the first `chars * 5` bits of the digest, grouped by four. */
export function displayCode(digest: Buffer, chars = DISPLAY_CHARS): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (let n = 0; n < chars; n++) {
    if (bits < 5) {
      acc = ((acc << 8) | digest[i++]!) & 0xffff;
      bits += 8;
    }
    bits -= 5;
    if (n > 0 && n % 4 === 0) out += '-';
    out += CROCKFORD[(acc >> bits) & 31];
  }
  return out;
}

/**
 * An epoch key ready for HMAC-SHA-256 (RFC 2104) with its inner and outer pads computed once, hashed
 * with Node's one-shot `crypto.hash` — about twice as fast as `createHmac` per call on short inputs, and
 * checked against `createHmac` in the unit tests.
 */
export interface PseudonymKey {
  hmac(domain: Buffer, data: Buffer): Buffer;
  /** hmac(domain, networkBytes(bytes, prefix)) without building the network bytes */
  hmacPrefix(domain: Buffer, bytes: Buffer, prefix: number): Buffer;
}

type OneShot = (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer;
const oneShot: OneShot =
  (crypto as unknown as { hash?: OneShot }).hash ?? ((alg, data) => createHash(alg).update(data).digest());

export function pseudonymKey(raw: Buffer): PseudonymKey {
  if (raw.length < 32 || raw.length > 64) throw new Error('A pseudonym key must be 32 to 64 bytes.');
  const inner = Buffer.alloc(64 + 128, 0x36);
  const outer = Buffer.alloc(64 + 32, 0x5c);
  for (let i = 0; i < raw.length; i++) {
    inner[i] = inner[i]! ^ raw[i]!;
    outer[i] = outer[i]! ^ raw[i]!;
  }
  const finish = (n: number): Buffer => {
    oneShot('sha256', inner.subarray(0, n), 'buffer').copy(outer, 64);
    return oneShot('sha256', outer, 'buffer');
  };
  const hmac = (domain: Buffer, data: Buffer): Buffer => {
    const n = 64 + domain.length + data.length;
    if (n > inner.length) {
      oneShot('sha256', Buffer.concat([inner.subarray(0, 64), domain, data]), 'buffer').copy(outer, 64);
      return oneShot('sha256', outer, 'buffer');
    }
    domain.copy(inner, 64);
    data.copy(inner, 64 + domain.length);
    return finish(n);
  };
  return {
    hmac,
    hmacPrefix(domain, bytes, prefix) {
      const len = Math.ceil(prefix / 8);
      if (prefix < 0 || len > bytes.length || 64 + domain.length + len > inner.length) return hmac(domain, networkBytes(bytes, prefix));
      let at = 64 + domain.copy(inner, 64);
      for (let i = 0; i < len; i++) inner[at++] = bytes[i]!;
      const rem = prefix % 8;
      if (rem) inner[at - 1] = inner[at - 1]! & ((0xff << (8 - rem)) & 0xff);
      return finish(at);
    },
  };
}

function hmac(key: PseudonymKey, domain: Buffer, data: Buffer): Buffer {
  return key.hmac(domain, data);
}

export function actorPseudonym(key: PseudonymKey, ip: CanonicalIp, chars = DISPLAY_CHARS): Pseudonym {
  const d = hmac(key, ACTOR_DOMAIN[ip.family], ip.bytes);
  return { key: d.toString('hex'), display: `IP-${displayCode(d, chars)}` };
}

/** The label of a range pseudonym: the prefix length is shown, the network never. */
export function rangeLabel(family: IpFamily, prefix: number): string {
  return family === 4 ? `R${prefix}` : `R6-${prefix}`;
}

export function rangePseudonym(key: PseudonymKey, ip: CanonicalIp, prefix: number, chars = DISPLAY_CHARS): Pseudonym {
  const d = key.hmacPrefix(rangeDomain(ip.family, prefix), ip.bytes, prefix);
  return { key: d.toString('hex'), display: `${rangeLabel(ip.family, prefix)}-${displayCode(d, chars)}` };
}

export function userAgentPseudonym(key: PseudonymKey, userAgent: string, chars = DISPLAY_CHARS): Pseudonym {
  const d = hmac(key, UA_DOMAIN, Buffer.from(userAgent, 'utf8'));
  return { key: d.toString('hex'), display: `UA-${displayCode(d, chars)}` };
}
