import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAddressList } from '@/lib/context/anon';
import { IpContextDb } from '@/lib/context/lookup';
import { NetTyper, readAsnTypes, typeFromName } from '@/lib/context/nettype';
import { ContextDataError, v6Groups } from '@/lib/context/tables';
import { tryCanonicalIp } from '@/lib/masking/ip';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-ctx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const n4 = (a: string) => a.split('.').reduce((v, o) => v * 256 + Number(o), 0);
const row4 = (s: string, e: string, rest: string) => `${n4(s)},${n4(e)},${rest}`;

function write(sub: string, files: Record<string, string[]>): string {
  const d = path.join(dir, sub);
  fs.mkdirSync(d, { recursive: true });
  for (const [f, lines] of Object.entries(files)) fs.writeFileSync(path.join(d, f), lines.join('\n') + '\n');
  return d;
}

const base = {
  'asn-ipv4-num.csv': [
    row4('10.0.0.0', '10.0.0.255', '64500,"Example Hosting, Ltd."'),
    // 10.0.1.0/24 split between two networks
    row4('10.0.1.0', '10.0.1.127', '64501,Example Mobile'),
    row4('10.0.1.128', '10.0.1.255', '64502,Example Broadband'),
    // 10.0.2.0/24 covered by two adjacent rows of the same AS: one answer
    row4('10.0.2.0', '10.0.2.127', '64501,Example Mobile'),
    row4('10.0.2.128', '10.0.3.255', '64501,Example Mobile'),
    // 10.0.4.0/24 half covered: no answer
    row4('10.0.4.0', '10.0.4.127', '64502,Example Broadband'),
    // an overlap (upstream data has these): 10.0.9.0/24 belongs to both rows, so to neither
    row4('10.0.8.0', '10.0.9.255', '64503,Overlap A'),
    row4('10.0.9.0', '10.0.10.255', '64504,Overlap B'),
  ],
  'asn-ipv6.csv': [
    '2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64500,"Example Hosting, Ltd."',
    // a row starting inside a /64: that /64 has no single answer
    '2001:db8:1::30,2001:db8:1::31,64501,Example Mobile',
    '2001:db8:2::,2001:db8:2:0:ffff:ffff:ffff:ffff,64502,Example Broadband',
  ],
  'asn-country-ipv4-num.csv': [row4('10.0.0.0', '10.0.0.255', 'DE'), row4('10.0.1.0', '10.0.4.255', 'FR')],
  'asn-country-ipv6.csv': ['2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,NL'],
};

const load = (d: string, more: Partial<ConstructorParameters<typeof IpContextDb>[0]> = {}) => new IpContextDb({ asnDir: d, countryDir: d, ...more });
const at = (db: IpContextDb, a: string) => {
  const ip = tryCanonicalIp(a)!;
  return db.lookup(ip.family, ip.bytes);
};

describe('context tables', () => {
  const db = load(write('base', base));

  it('answers a /24 covered by one network, with its organisation unquoted', () => {
    expect(at(db, '10.0.0.77')).toEqual({ asn: 64500, org: 'Example Hosting, Ltd.', country: 'DE', type: 'hosting', anon: null });
  });

  it('gives no ASN for a /24 split between networks or partly uncovered, but keeps a shared country', () => {
    expect(at(db, '10.0.1.5')).toMatchObject({ asn: null, org: null, country: 'FR', type: 'unknown' });
    expect(at(db, '10.0.1.200')).toEqual(at(db, '10.0.1.5'));
    expect(at(db, '10.0.4.1')).toMatchObject({ asn: null, country: 'FR' });
  });

  it('joins adjacent rows of the same network', () => {
    expect(at(db, '10.0.2.200')).toMatchObject({ asn: 64501, type: 'mobile' });
  });

  it('answers nothing where the data overlaps itself with different networks', () => {
    expect(at(db, '10.0.8.1')).toMatchObject({ asn: 64503 });
    expect(at(db, '10.0.9.1')).toMatchObject({ asn: null });
    expect(at(db, '10.0.10.1')).toMatchObject({ asn: 64504 });
  });

  it('IPv6: a /64 inside one row answers; a /64 a row only touches does not', () => {
    expect(at(db, '2001:db8::1')).toMatchObject({ asn: 64500, country: 'NL' });
    expect(at(db, '2001:db8:1::30')).toMatchObject({ asn: null, country: 'NL' });
    expect(at(db, '2001:db8:2::abcd')).toMatchObject({ asn: 64502, type: 'residential' });
  });

  it('refuses a malformed or unsorted file naming the file and line, never the value', () => {
    const bad = write('bad', { ...base, 'asn-ipv4-num.csv': [row4('10.0.1.0', '10.0.1.255', '1,A'), row4('10.0.0.0', '10.0.0.255', '2,B')] });
    expect(() => load(bad)).toThrow(/asn-ipv4-num\.csv: line 2 is not a sorted IPv4 range/);
    const bad6 = write('bad6', { ...base, 'asn-ipv6.csv': ['2001:db8::x,2001:db8::1,1,A'] });
    expect(() => load(bad6)).toThrow(ContextDataError);
    expect(() => load(bad6)).not.toThrow(/2001/);
    expect(() => load(path.join(dir, 'missing'))).toThrow(/cannot read .*asn-ipv4-num\.csv \(ENOENT\)/);
  });

  it('flags addresses on the operator lists, per address', () => {
    const tor = path.join(dir, 'tor.txt');
    fs.writeFileSync(tor, '# exits\n10.0.0.9\n2001:db8::/126\n');
    const vpn = path.join(dir, 'vpn.txt');
    fs.writeFileSync(vpn, '10.0.0.128/25\n');
    const flagged = load(path.join(dir, 'base'), { torList: tor, vpnList: vpn });
    expect(at(flagged, '10.0.0.9')).toMatchObject({ asn: 64500, anon: 'tor' });
    expect(at(flagged, '10.0.0.8')).toMatchObject({ asn: 64500, anon: null });
    expect(at(flagged, '10.0.0.200')).toMatchObject({ anon: 'vpn' });
    expect(at(flagged, '2001:db8::3')).toMatchObject({ anon: 'tor' });
    expect(at(flagged, '2001:db8::4')).toMatchObject({ anon: null });
  });
});

describe('operator lists and types', () => {
  it('parses IPs and CIDRs and refuses junk by line number only', () => {
    const l = parseAddressList('1.2.3.4\n1.2.3.0/30\n\n::1/128 # loopback\n', 'LIST');
    expect(l.size).toBe(3);
    expect(l.has(4, Buffer.from([1, 2, 3, 2]))).toBe(true);
    expect(l.has(4, Buffer.from([1, 2, 3, 5]))).toBe(false);
    expect(() => parseAddressList('1.2.3.4\n9.9.9.9/33\n', 'LIST')).toThrow('LIST: line 2 is not an IP address or CIDR');
    expect(() => parseAddressList('secret-host.example\n', 'LIST')).toThrow(/^LIST: line 1/);
  });

  it('reads an operator ASN type file over the shipped list', () => {
    const f = path.join(dir, 'types.txt');
    fs.writeFileSync(f, '# mine\nAS15169,unknown\n64500, mobile\n');
    const t = new NetTyper(readAsnTypes(f));
    expect(t.typeOf(15169, 'Google LLC')).toBe('unknown');
    expect(t.typeOf(64500, 'Example Hosting')).toBe('mobile');
    expect(new NetTyper().typeOf(15169, 'Google LLC')).toBe('hosting');
    fs.writeFileSync(f, '64500,datacentre\n');
    expect(() => readAsnTypes(f)).toThrow(/line 1 is not "asn,type"/);
  });

  it('names heuristics: hosting, mobile, residential words; a telecom stays unknown', () => {
    expect(typeFromName('Acme Cloud Services')).toBe('hosting');
    expect(typeFromName('Acme Data Center GmbH')).toBe('hosting');
    expect(typeFromName('T-Mobile USA, Inc.')).toBe('mobile');
    expect(typeFromName('Telefonica Moviles')).toBe('mobile');
    expect(typeFromName('Comcast Cable Communications, LLC')).toBe('residential');
    expect(typeFromName('Deutsche Telekom AG')).toBe('unknown');
    expect(typeFromName(null)).toBe('unknown');
  });

  it('parses IPv6 spellings in hex notation', () => {
    expect(v6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(v6Groups('2001:db8::')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    expect(v6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(v6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ['1:2', ':1', '1:::2', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8']) expect(v6Groups(bad), bad).toBeNull();
  });
});
