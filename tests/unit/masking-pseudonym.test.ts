import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { tryCanonicalIp, type CanonicalIp } from '@/lib/masking/ip';
import { expandedV6 } from '../helpers/leaks';
import { actorPseudonym, displayCode, pseudonymKey, rangePseudonym, userAgentPseudonym } from '@/lib/masking/pseudonym';

const newKey = () => pseudonymKey(randomBytes(32));
const v4Bytes = fc.uint8Array({ minLength: 4, maxLength: 4 });
const v6Bytes = fc.uint8Array({ minLength: 16, maxLength: 16 }).filter((b) => !ipaddr.fromByteArray([...b]).toString().startsWith('::ffff:'));
const fromBytes = (b: Uint8Array): CanonicalIp => tryCanonicalIp(ipaddr.fromByteArray([...b]).toString())!;

/** Spellings of one IPv6 address. */
function spellings(b: Uint8Array): string[] {
  const v6 = ipaddr.fromByteArray([...b]) as ipaddr.IPv6;
  return [v6.toRFC5952String(), v6.toNormalizedString(), expandedV6(v6), expandedV6(v6).toUpperCase(), `${v6.toRFC5952String()}%eth0`];
}

describe('HMAC', () => {
  it('the precomputed-pad HMAC equals createHmac for any key, domain and data (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 400 }), (k, d, m) => {
        const [key, dom, data] = [Buffer.from(k), Buffer.from(d), Buffer.from(m)];
        const expected = createHmac('sha256', key).update(dom).update(data).digest('hex');
        const prf = pseudonymKey(key);
        expect(prf.hmac(dom, data).toString('hex')).toBe(expected);
        expect(prf.hmac(dom, data).toString('hex')).toBe(expected); // reusable scratch space
      }),
    );
  });
});

describe('actor pseudonyms', () => {
  it('are stable within an epoch, whatever the spelling (property)', () => {
    const key = newKey();
    fc.assert(
      fc.property(v6Bytes, (b) => {
        const keys = spellings(b).map((s) => actorPseudonym(key, tryCanonicalIp(s)!).key);
        expect(new Set(keys).size).toBe(1);
      }),
    );
    fc.assert(
      fc.property(v4Bytes, (b) => {
        const dotted = [...b].join('.');
        const a = actorPseudonym(key, tryCanonicalIp(dotted)!);
        expect(actorPseudonym(key, tryCanonicalIp(`::ffff:${dotted}`)!)).toEqual(a);
        expect(actorPseudonym(key, tryCanonicalIp(dotted)!)).toEqual(a);
      }),
    );
  });

  it('differ across epochs (property)', () => {
    fc.assert(
      fc.property(fc.oneof(v4Bytes, v6Bytes), (b) => {
        const ip = fromBytes(b);
        expect(actorPseudonym(newKey(), ip).key).not.toBe(actorPseudonym(newKey(), ip).key);
      }),
      { numRuns: 200 },
    );
  });

  it('differ between addresses within an epoch (property)', () => {
    const key = newKey();
    fc.assert(
      fc.property(fc.oneof(v4Bytes, v6Bytes), fc.oneof(v4Bytes, v6Bytes), (a, b) => {
        fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
        expect(actorPseudonym(key, fromBytes(a)).key).not.toBe(actorPseudonym(key, fromBytes(b)).key);
      }),
    );
  });

  it('have a short display form that never shows the address', () => {
    const p = actorPseudonym(newKey(), tryCanonicalIp('198.51.100.7')!);
    expect(p.display).toMatch(/^IP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(p.key).toMatch(/^[0-9a-f]{64}$/);
    expect(displayCode(Buffer.alloc(32, 0xff), 8)).toBe('ZZZZ-ZZZZ');
    expect(displayCode(Buffer.alloc(32, 0), 8)).toBe('0000-0000');
  });
});

describe('range pseudonyms', () => {
  /** a pair (a, b) where b shares a's first `keep` bits and is random after them */
  const pair = (len: number) =>
    fc
      .tuple(fc.uint8Array({ minLength: len, maxLength: len }), fc.uint8Array({ minLength: len, maxLength: len }), fc.integer({ min: 0, max: len * 8 }))
      .map(([a, r, keep]) => {
        const b = Uint8Array.from(a);
        for (let bit = keep; bit < len * 8; bit++) {
          const m = 0x80 >> bit % 8;
          b[bit >> 3] = (b[bit >> 3]! & ~m) | (r[bit >> 3]! & m);
        }
        return [a, b] as const;
      });

  const check = (family: 4 | 6, min: number, max: number) => {
    const key = newKey();
    const len = family === 4 ? 4 : 16;
    fc.assert(
      fc.property(pair(len), fc.integer({ min, max }), ([a, b], prefix) => {
        const A = ipaddr.fromByteArray([...a]);
        const B = ipaddr.fromByteArray([...b]);
        const same = A.match(B, prefix); // CIDR maths from ipaddr.js
        const ca: CanonicalIp = { family, bytes: Buffer.from(a), text: '' };
        const cb: CanonicalIp = { family, bytes: Buffer.from(b), text: '' };
        const ra = rangePseudonym(key, ca, prefix);
        const rb = rangePseudonym(key, cb, prefix);
        expect(ra.key === rb.key).toBe(same);
        expect(ra.display.startsWith(family === 4 ? `R${prefix}-` : `R6-${prefix}-`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  };

  it('IPv4 /16–/32: equal exactly for addresses in the same /N (property)', () => check(4, 16, 32));
  it('IPv6 /19–/64: equal exactly for addresses in the same /N (property)', () => check(6, 19, 64));

  it('are domain-separated from actor and user-agent pseudonyms, by length and by family', () => {
    const key = newKey();
    const ip = tryCanonicalIp('192.0.2.1')!;
    const v6 = tryCanonicalIp('c000:201::')!;
    expect(rangePseudonym(key, ip, 32).key).not.toBe(actorPseudonym(key, ip).key);
    expect(rangePseudonym(key, ip, 24).key).not.toBe(rangePseudonym(key, ip, 25).key);
    expect(rangePseudonym(key, ip, 32).key).not.toBe(rangePseudonym(key, v6, 32).key);
    expect(userAgentPseudonym(key, '192.0.2.1').key).not.toBe(actorPseudonym(key, ip).key);
    expect(rangePseudonym(key, ip, 24).key).not.toBe(rangePseudonym(newKey(), ip, 24).key);
  });
});
