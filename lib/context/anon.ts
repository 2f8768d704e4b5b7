import fs from 'node:fs';
import { tryCanonicalIp } from '../masking/ip';
import { ContextDataError } from './tables';

/**
 * An operator-supplied list of addresses (a Tor exit list, a VPN provider's ranges): one IP or CIDR per line,
 * `#` comments and blank lines ignored. Held as sorted, merged intervals (IPv4 as numbers, IPv6 as BigInt)
 * and matched by binary search. The list stays in server memory: pages only ever get the flag.
 */
export interface AddressList {
  has(family: 4 | 6, bytes: Uint8Array): boolean;
  readonly size: number;
}

function toBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function merge(iv: [bigint, bigint][]): { starts: bigint[]; ends: bigint[] } {
  iv.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  for (const [s, e] of iv) {
    const last = ends.length - 1;
    if (last >= 0 && s <= ends[last]! + 1n) {
      if (e > ends[last]!) ends[last] = e;
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

function inside(m: { starts: bigint[]; ends: bigint[] }, x: bigint): boolean {
  let lo = 0;
  let hi = m.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (m.starts[mid]! <= x) {
      if (x <= m.ends[mid]!) return true;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return false;
}

/** Parse a list's text. `name` (the configuration variable) and the line number appear in errors, never a value. */
export function parseAddressList(text: string, name: string): AddressList {
  const v4: [bigint, bigint][] = [];
  const v6: [bigint, bigint][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const slash = line.indexOf('/');
    const ip = tryCanonicalIp(slash < 0 ? line : line.slice(0, slash));
    const bits = ip?.family === 4 ? 32 : 128;
    const prefix = slash < 0 ? bits : Number(line.slice(slash + 1));
    if (!ip || !/^\d{1,3}$/.test(slash < 0 ? String(bits) : line.slice(slash + 1)) || prefix > bits)
      throw new ContextDataError(`${name}: line ${i + 1} is not an IP address or CIDR`);
    const host = (1n << BigInt(bits - prefix)) - 1n;
    const start = toBig(ip.bytes) & ~host;
    (ip.family === 4 ? v4 : v6).push([start, start | host]);
  });
  const m4 = merge(v4);
  const m6 = merge(v6);
  return {
    size: v4.length + v6.length,
    has: (family, bytes) => inside(family === 4 ? m4 : m6, toBig(bytes)),
  };
}

export function readAddressList(file: string, name: string): AddressList {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContextDataError(`${name}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseAddressList(text, name);
}
