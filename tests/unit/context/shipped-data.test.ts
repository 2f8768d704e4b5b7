import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSources, IpContextDb } from '@/lib/context/lookup';
import { HOSTING_ASNS } from '@/lib/context/nettype';
import { tryCanonicalIp } from '@/lib/masking/ip';

/**
 * The shipped database (@ip-location-db/asn and asn-country, pinned in package.json) answers known public
 * ranges correctly. The expected values are what that data says (RIR registration country, not where a
 * server stands: 1.1.1.0/24 is registered to APNIC research in Australia).
 */
let db: IpContextDb;
beforeAll(() => {
  db = new IpContextDb(defaultSources());
}, 60_000);

const ctx = (a: string) => {
  const ip = tryCanonicalIp(a)!;
  return db.lookup(ip.family, ip.bytes);
};

describe('shipped IP-context data', () => {
  it.each([
    ['8.8.8.8', 15169, 'Google LLC', 'US', 'hosting'],
    ['1.1.1.1', 13335, 'Cloudflare, Inc.', 'AU', 'hosting'],
    ['5.9.1.1', 24940, 'Hetzner Online GmbH', 'DE', 'hosting'],
    ['193.0.0.1', 3333, 'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)', 'NL', 'unknown'],
    ['2001:4860:4860::8888', 15169, 'Google LLC', 'US', 'hosting'],
    ['2606:4700:4700::1111', 13335, 'Cloudflare, Inc.', 'US', 'hosting'],
    ['2a00:1450:4001::1', 15169, 'Google LLC', 'IE', 'hosting'],
  ])('%s → AS%i %s, %s, %s', (addr, asn, org, country, type) => {
    expect(ctx(addr)).toEqual({ asn, org, country, type, anon: null });
  });

  it('knows nothing of private and documentation addresses', () => {
    for (const a of ['10.1.2.3', '192.168.0.1', '192.0.2.1', 'fd00::1', '2001:db8::1'])
      expect(ctx(a)).toEqual({ asn: null, org: null, country: null, type: 'unknown', anon: null });
  });

  it('gives every address of a /24 (IPv4) or /64 (IPv6) the same answer: context never narrows below the stored range', () => {
    const first = ctx('8.8.8.0');
    for (let i = 1; i < 256; i++) expect(ctx(`8.8.8.${i}`)).toBe(first);
    const v6 = ctx('2001:4860:4860::');
    for (const tail of ['1', '8888', 'ffff:ffff:ffff:ffff', 'abcd:0:1:2']) expect(ctx(`2001:4860:4860::${tail}`)).toBe(v6);
  });

  it('every AS in the shipped hosting list carries the organisation the list names (in this data)', () => {
    for (const [asn, name] of HOSTING_ASNS) {
      const org = (db as unknown as { orgs: Map<number, string> }).orgs.get(asn);
      expect(org, `AS${asn}`).toBeDefined();
      expect(org!.toLowerCase(), `AS${asn}`).toContain(name.toLowerCase());
    }
  });

  it('holds the whole tables (sanity: row counts and version)', () => {
    const r = db.rows;
    expect(r.asn4).toBeGreaterThan(100_000);
    expect(r.asn6).toBeGreaterThan(10_000);
    expect(r.country4).toBeGreaterThan(50_000);
    expect(r.country6).toBeGreaterThan(10_000);
    expect(db.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
