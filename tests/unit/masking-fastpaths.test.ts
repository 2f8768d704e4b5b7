import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rotateEpochs } from '@/lib/keys/epochs';
import { PseudonymCache } from '@/lib/masking/cache';
import { fastDottedV4, generalCanonicalIp, networkBytes, tryCanonicalIp } from '@/lib/masking/ip';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { actorPseudonym, pseudonymKey, rangePseudonym } from '@/lib/masking/pseudonym';
import { maskText, scanText } from '@/lib/masking/text';
import { decryptRecord } from '@/lib/masking/vault-crypto';
import { anonEdit } from '../helpers/raw-edit';

/** The fast paths must give exactly what the general code gives: these tests define "exactly". */

const same = (a: ReturnType<typeof tryCanonicalIp>, b: ReturnType<typeof tryCanonicalIp>) => {
  expect(a === null).toBe(b === null);
  if (a && b) {
    expect(a.family).toBe(b.family);
    expect(a.text).toBe(b.text);
    expect([...a.bytes]).toEqual([...b.bytes]);
  }
};

describe('fast dotted-IPv4 canonicaliser', () => {
  it('agrees with the general parser (ipaddr.js path) on arbitrary dotted strings (property)', () => {
    const group = fc.oneof(fc.stringMatching(/^[0-9]{0,5}$/), fc.integer({ min: 0, max: 999 }).map(String), fc.constantFrom('00', '000', '0255', '256', ' 1', '1 ', '0x1', '-1', '١'));
    const dotted = fc.array(group, { minLength: 1, maxLength: 6 }).map((g) => g.join('.'));
    const anyIpish = fc.stringMatching(/^[0-9.:a-fA-F% \t]{0,20}$/);
    fc.assert(
      fc.property(fc.oneof(dotted, anyIpish), (s) => {
        same(tryCanonicalIp(s), generalCanonicalIp(s));
        const fast = fastDottedV4(s);
        if (fast !== undefined) same(fast, generalCanonicalIp(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads leading zeros as decimal, refuses octets over 255, and leaves other shapes to the general parser', () => {
    expect(fastDottedV4('010.001.000.009')).toMatchObject({ family: 4, text: '10.1.0.9' });
    expect(fastDottedV4('192.0.2.1')).toMatchObject({ family: 4, text: '192.0.2.1' });
    expect(fastDottedV4('256.1.1.1')).toBeNull();
    for (const s of [' 192.0.2.1', '1.2.3', '1.2.3.4.5', '1..2.3', '0x7f.0.0.1', '1234.1.1.1', '::ffff:1.2.3.4']) expect(fastDottedV4(s), s).toBeUndefined();
    expect(tryCanonicalIp(' 192.0.2.1 ')).toMatchObject({ text: '192.0.2.1' });
  });
});

describe('text pre-check', () => {
  it('never skips text the full scan would change (property)', () => {
    const text = fc.stringMatching(/^[0-9a-fA-FxyzG: .%/()\n-]{0,40}$/);
    fc.assert(
      fc.property(text, (t) => {
        const tag = (ip: { text: string }) => `<${ip.text}>`;
        expect(maskText(t, tag)).toBe(scanText(t, tag));
      }),
      { numRuns: 5000 },
    );
    for (const t of ['1:2:3:4:5:6:7:8', 'x 1:2:3:4:5:6:1.2.3.4 y', 'User talk:::1', 'by fe80::1%eth0', 'a::b', '010.1.1.1'])
      expect(maskText(t, () => 'X'), t).not.toBe(t);
  });
});

describe('range HMAC without building network bytes', () => {
  it('equals createHmac(key, domain ‖ networkBytes) for any bytes and prefix (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 }), (k, d, b, prefix) => {
        const [key, dom, bytes] = [Buffer.from(k), Buffer.from(d), Buffer.from(b)];
        const expected = createHmac('sha256', key).update(dom).update(networkBytes(bytes, prefix)).digest('hex');
        const prf = pseudonymKey(key);
        expect(prf.hmacPrefix(dom, bytes, prefix).toString('hex')).toBe(expected);
        prf.hmac(dom, randomBytes(20)); // scratch space reused in between
        expect(prf.hmacPrefix(dom, bytes, prefix).toString('hex')).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

const dirs: string[] = [];
const tmpKeys = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-keys-'));
  dirs.push(d);
  return path.join(d, 'keys');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const limits = { v4: 16, v6: 19 };

describe('per-epoch pseudonym cache', () => {
  it('returns exactly the pseudonyms computed without it; each event still gets its own vault record', () => {
    const dir = tmpKeys();
    const keys = new KeyRing(dir, () => new Date('2026-03-01T12:00:00Z'), 0);
    const cached = new Masker({ keys, limits, ipCacheSize: 8 });
    const uncached = new Masker({ keys, limits, ipCacheSize: 0 });
    const ips = ['192.0.2.1', '2001:db8::1', '192.0.2.1', '::ffff:192.0.2.1', '2001:DB8:0::1', '198.51.100.7', '192.0.2.1'];
    const ext = { extraLengths: { v4: new Set([20]), v6: new Set([56]) } };
    const ids = new Set<string>();
    const nonces = new Set<string>();
    for (let round = 0; round < 3; round++)
      for (const ip of ips) {
        const a = cached.maskEdit(anonEdit(ip, { title: `User talk:${ip}` }), round === 1 ? ext : {});
        const b = uncached.maskEdit(anonEdit(ip, { title: `User talk:${ip}` }), round === 1 ? ext : {});
        expect(a.masked.actor.key).toBe(b.masked.actor.key);
        expect(a.masked.actor.name).toBe(b.masked.actor.name);
        expect(a.masked.ip!.ranges).toEqual(b.masked.ip!.ranges);
        expect(a.masked.title).toBe(b.masked.title);
        for (const v of a.vault) {
          ids.add(v.id);
          nonces.add(v.nonce.toString('hex'));
          expect(decryptRecord(keys.vaultKey(v.day)!, v.id, v.day, v.nonce, v.ciphertext).ip).toBe(tryCanonicalIp(ip)!.text);
        }
      }
    expect(ids.size).toBe(3 * ips.length);
    expect(nonces.size).toBe(3 * ips.length);
  });

  it('stays bounded and is cleared when the epoch key changes', () => {
    const key1 = pseudonymKey(randomBytes(32));
    const key2 = pseudonymKey(randomBytes(32));
    const cache = new PseudonymCache(10);
    const ip = (i: number) => tryCanonicalIp(`10.0.${i >> 8}.${i & 255}`)!;
    for (let i = 0; i < 1000; i++) {
      expect(cache.entry(key1, ip(i)).actor).toEqual(actorPseudonym(key1, ip(i)));
      expect(cache.range(key1, ip(i % 7), 24)).toEqual(rangePseudonym(key1, ip(i % 7), 24));
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(cache.size).toBeGreaterThan(0);
    const hot = ip(3);
    const before = cache.entry(key1, hot);
    expect(cache.entry(key1, hot)).toBe(before);
    const after = cache.entry(key2, hot);
    expect(cache.size).toBe(1);
    expect(after.actor.key).not.toBe(before.actor.key);
    expect(after.actor).toEqual(actorPseudonym(key2, hot));
    expect(cache.range(key2, hot, 24)).toEqual(rangePseudonym(key2, hot, 24));
  });

  it('a rotation noticed by the KeyRing gives new pseudonyms at once, never cached ones', () => {
    const dir = tmpKeys();
    const keys = new KeyRing(dir, () => new Date('2026-03-01T12:00:00Z'), 0);
    const masker = new Masker({ keys, limits });
    const before = masker.maskEdit(anonEdit('192.0.2.1')).masked;
    expect(masker.maskEdit(anonEdit('192.0.2.1')).masked.actor.key).toBe(before.actor.key);
    rotateEpochs(dir, new Date(Date.parse('2026-03-01T12:00:00Z') + 90 * 864e5), { epochDays: 90, retentionDays: 90 });
    const after = masker.maskEdit(anonEdit('192.0.2.1')).masked;
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.actor.key).not.toBe(before.actor.key);
    expect(after.ip!.ranges.map((r) => r.key)).not.toEqual(expect.arrayContaining(before.ip!.ranges.map((r) => r.key)));
    const fresh = new Masker({ keys, limits, ipCacheSize: 0 }).maskEdit(anonEdit('192.0.2.1')).masked;
    expect(after.actor.key).toBe(fresh.actor.key);
    expect(after.ip!.ranges).toEqual(fresh.ip!.ranges);
  });
});
