import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIp, tryCanonicalIp } from '@/lib/masking/ip';
import { findIps, maskJson, maskText } from '@/lib/masking/text';
import { expandedV6 } from '../helpers/leaks';

const tag = (t: string) => maskText(t, (ip) => `<${ip.text}>`);

describe('canonical IPs', () => {
  it('gives every spelling of one address one canonical form', () => {
    for (const s of ['2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1', '2001:db8::1%eth0', ' 2001:db8::1 '])
      expect(tryCanonicalIp(s)).toMatchObject({ family: 6, text: '2001:db8::1' });
    for (const s of ['192.0.2.1', '::ffff:192.0.2.1', '::FFFF:c000:201', '0:0:0:0:0:ffff:192.0.2.1', '192.000.002.001'])
      expect(tryCanonicalIp(s)).toMatchObject({ family: 4, text: '192.0.2.1' });
  });

  it('rejects everything else, naming the field but never the value', () => {
    for (const s of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '0x7f.0.0.1', '2130706433', '1::2::3', '2001:db8::1%', 'fe80::1%eth 0', '::ffff:0x1.2.3.4', 'gggg::1', 'Example user'])
      expect(tryCanonicalIp(s), s).toBeNull();
    try {
      canonicalIp('203.0.113.999', 'ip');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('ip: not a valid IP address');
      expect(JSON.stringify(e)).not.toContain('203.0.113');
    }
  });
});

describe('IPs in text', () => {
  it('replaces addresses in titles, summaries, parsed comments', () => {
    expect(tag('User talk:161.184.95.17')).toBe('User talk:<161.184.95.17>');
    expect(tag('Reverted edits by 121.123.29.10 (talk) to last version')).toBe('Reverted edits by <121.123.29.10> (talk) to last version');
    expect(tag('User talk:2001:DB8::1.')).toBe('User talk:<2001:db8::1>.');
    expect(tag('<a href="/wiki/Special:Contributions/2001:db8::1" title="x">2001:db8::1</a>')).toBe(
      '<a href="/wiki/Special:Contributions/<2001:db8::1>" title="x"><2001:db8::1></a>',
    );
    expect(tag('from ::ffff:1.2.3.4 and ::ffff:102:304')).toBe('from <1.2.3.4> and <1.2.3.4>');
    expect(tag('[2001:db8::1]:443 1.2.3.4:8080 fe80::1%eth0 ::1')).toBe('[<2001:db8::1>]:443 <1.2.3.4>:8080 <fe80::1> <::1>');
    expect(tag('range 2001:db8::/32 and 10.0.0.0/8')).toBe('range <2001:db8::>/32 and <10.0.0.0>/8');
    expect(tag('by2001:db8::1 x')).toBe('by<2001:db8::1> x');
  });

  it('leaves timestamps, versions, scopes and MAC addresses alone', () => {
    for (const s of [
      'at 12:34:56 on 2026-03-01T12:34:56Z',
      'version 1.2.3 and 1.2.3.4.5 and 10.0.0.256',
      'std::vector and Module::Build',
      'MAC 00:1a:2b:3c:4d:5e',
      'ratio 3:2',
      'nothing here',
    ])
      expect(tag(s), s).toBe(s);
  });

  it('finds every address hidden in random text, in any spelling (property)', () => {
    const sep = fc.constantFrom(' ', '(', ')', ', ', '/', '|', '[', ']', '"', '=', '\n', ' User talk:', ' by ', ' — ');
    const word = fc.stringMatching(/^[G-Zg-z ]{0,12}$/);
    const addr = fc.oneof(
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => ({ spelled: [...b].join('.'), canonical: [...b].join('.') })),
      fc
        .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 3 }))
        .map(([b, how]) => {
          const v6 = ipaddr.fromByteArray([...b]) as ipaddr.IPv6;
          const spelled = [v6.toRFC5952String(), v6.toNormalizedString(), expandedV6(v6), v6.toRFC5952String().toUpperCase()][how]!;
          return { spelled, canonical: tryCanonicalIp(spelled)!.text };
        }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(word, sep, addr, sep), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map(([w, s1, a, s2]) => `${w}${s1}${a.spelled}${s2}`).join('');
        const found: string[] = [];
        const out = maskText(text, (ip) => {
          found.push(ip.text);
          return 'IP-XXXX-XXXX';
        });
        expect(found).toEqual(parts.map(([, , a]) => a.canonical));
        expect(findIps(out)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('walks JSON log parameters, keys included', () => {
    const out = maskJson({ target: 'User:10.1.2.3', list: ['2001:db8::5', 7, null], '10.9.9.9': { nested: 'by 10.1.2.3' } }, (ip) => `<${ip.text}>`);
    expect(out).toEqual({ target: 'User:<10.1.2.3>', list: ['<2001:db8::5>', 7, null], '<10.9.9.9>': { nested: 'by <10.1.2.3>' } });
  });
});
