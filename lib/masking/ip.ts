import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors';

/**
 * Canonical IP addresses. One address has one canonical form whatever its spelling:
 * - IPv4: dotted decimal; leading zeros in an octet are read as decimal (like MediaWiki's IPUtils),
 *   never as octal; hex, octal and integer spellings are rejected;
 * - IPv6: every RFC 4291 spelling (compressed, expanded, mixed case, embedded dotted IPv4), printed in
 *   RFC 5952 form; a zone id ("fe80::1%eth0") is stripped;
 * - IPv4-mapped IPv6 (::ffff:1.2.3.4, ::ffff:102:304) is its IPv4.
 * Errors name the field and never echo the value.
 */
export type IpFamily = 4 | 6;

export interface CanonicalIp {
  family: IpFamily;
  /** network-order bytes: 4 for IPv4, 16 for IPv6 */
  bytes: Buffer;
  /** canonical text (dotted decimal or RFC 5952) — a raw IP: only for the vault */
  text: string;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const ZONE = /^[0-9A-Za-z._~-]{1,64}$/;

function fromV4Parts(parts: number[]): CanonicalIp | null {
  if (parts.some((p) => p > 255)) return null;
  return { family: 4, bytes: Buffer.from(parts), text: parts.join('.') };
}

/**
 * The common case without regex or ipaddr.js: exactly four groups of 1–3 ASCII digits and nothing else
 * (no whitespace). Returns the address, null for an octet over 255, or undefined when the string is not of
 * that shape (then the general parser decides). Agrees with the general parser (property-tested).
 */
export function fastDottedV4(s: string): CanonicalIp | null | undefined {
  const len = s.length;
  if (len < 7 || len > 15) return undefined;
  const bytes = Buffer.allocUnsafe(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  let leadingZero = false;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits === 3) return undefined;
      if (digits === 1 && value === 0) leadingZero = true;
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 46) {
      if (digits === 0 || part === 4) return undefined;
      if (value > 255) return null;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else return undefined;
  }
  if (part !== 4) return undefined;
  return { family: 4, bytes, text: leadingZero ? `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}` : s };
}

/** Parse any spelling of an IP address; null when it is not exactly one address. */
export function tryCanonicalIp(input: string): CanonicalIp | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 100) return null;
  const fast = fastDottedV4(input);
  if (fast !== undefined) return fast;
  return generalCanonicalIp(input);
}

/** tryCanonicalIp without the dotted-IPv4 fast path (exported for the agreement test). */
export function generalCanonicalIp(input: string): CanonicalIp | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 100) return null;
  const s = input.trim();
  const m = V4.exec(s);
  if (m) return fromV4Parts([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  if (!s.includes(':')) return null;
  let addr = s;
  const pct = s.indexOf('%');
  if (pct >= 0) {
    if (!ZONE.test(s.slice(pct + 1))) return null;
    addr = s.slice(0, pct);
  }
  // ipaddr.js accepts odd IPv4 spellings inside IPv6 ("::ffff:0x1.2.3.4"); only dotted decimal here
  const dot = addr.lastIndexOf(':');
  const tail = addr.slice(dot + 1);
  if (tail.includes('.') && !V4.test(tail)) return null;
  // one parse: IPv6.isValid is IPv6.parse in a try (plus this colon check), so this is isValid-then-parse
  if (!addr.includes(':')) return null;
  let v6: ipaddr.IPv6;
  try {
    v6 = ipaddr.IPv6.parse(addr);
  } catch {
    return null;
  }
  if (v6.isIPv4MappedAddress()) return fromV4Parts(v6.toIPv4Address().octets);
  return { family: 6, bytes: Buffer.from(v6.toByteArray()), text: v6.toRFC5952String() };
}

/** Like tryCanonicalIp, but throws a ValidationError naming `field` (never the value). */
export function canonicalIp(input: string, field: string): CanonicalIp {
  const ip = tryCanonicalIp(input);
  if (!ip) throw new ValidationError(`${field}: not a valid IP address`, { [field]: 'not a valid IP address' });
  return ip;
}

/** The widest prefix an admin may act on, per family, and the narrowest meaningful range. */
export interface CidrLimits {
  v4: number;
  v6: number;
}
export const MAX_PREFIX: Record<IpFamily, number> = { 4: 32, 6: 64 };

/** The network bytes of `ip` at `/prefix`: host bits zeroed, truncated to the bytes the prefix covers. */
export function networkBytes(bytes: Buffer, prefix: number): Buffer {
  const n = Math.ceil(prefix / 8);
  const out = Buffer.allocUnsafe(n);
  bytes.copy(out, 0, 0, n);
  const rem = prefix % 8;
  if (rem) out[n - 1] = out[n - 1]! & ((0xff << (8 - rem)) & 0xff);
  return out;
}
