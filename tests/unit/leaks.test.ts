import { describe, expect, it } from 'vitest';
import { findLeaks, ipTextForms, leakReport } from '../helpers/leaks';

/**
 * The leak scanner every proof suite relies on (tests/helpers/leaks.ts; e2e/api.proof-leaks.spec.ts): it must
 * find every textual form of a canary, in any case, as a whole token, and nothing glued inside a longer token.
 */
const V4 = '198.18.47.219';
const V6 = '2001:db8:c0de::5ca1:7';
const MAPPED = '::ffff:198.19.203.7';

describe('ipTextForms', () => {
  it('spells an IPv4 address dotted, zero-padded, hex, decimal, reverse-DNS and IPv4-mapped', () => {
    const forms = ipTextForms(V4);
    for (const f of [
      '198.18.47.219',
      '198.018.047.219',
      'c6122fdb',
      '0xc6122fdb',
      String(198 * 2 ** 24 + 18 * 2 ** 16 + 47 * 2 ** 8 + 219),
      '219.47.18.198.in-addr.arpa',
      '::ffff:198.18.47.219',
      '0:0:0:0:0:ffff:198.18.47.219',
      '::ffff:c612:2fdb',
      '0000:0000:0000:0000:0000:ffff:c612:2fdb',
    ])
      expect(forms).toContain(f);
  });

  it('spells an IPv6 address compressed, uncompressed, expanded, hex, decimal and ip6.arpa', () => {
    const forms = ipTextForms(V6);
    const hex = '20010db8c0de000000000000' + '5ca10007';
    for (const f of [
      '2001:db8:c0de::5ca1:7',
      '2001:db8:c0de:0:0:0:5ca1:7',
      '2001:0db8:c0de:0000:0000:0000:5ca1:0007',
      hex,
      `0x${hex}`,
      BigInt(`0x${hex}`).toString(10),
      `${[...hex].reverse().join('.')}.ip6.arpa`,
    ])
      expect(forms).toContain(f);
  });

  it('gives an IPv4-mapped address the forms of its IPv4 too', () => {
    expect(ipTextForms(MAPPED)).toEqual(expect.arrayContaining(['198.19.203.7', '7.203.19.198.in-addr.arpa', '::ffff:c613:cb07']));
  });
});

describe('findLeaks', () => {
  it('finds every form of every canary, in upper case too, inside ordinary text', () => {
    for (const c of [V4, V6, MAPPED])
      for (const form of ipTextForms(c))
        for (const text of [`User talk:${form} (x)`, `"${form.toUpperCase()}"`, `${form}`, `<td>${form}</td>`])
          expect(findLeaks(text, [c]).map((h) => h.form), `${form} in ${text}`).toContain(form);
  });

  it('does not count a form glued to a letter or digit (a hash or a longer number)', () => {
    for (const c of [V4, V6])
      for (const form of ipTextForms(c).filter((f) => /^[0-9a-f]/.test(f) && /[0-9a-f]$/.test(f)))
        expect(findLeaks(`a1${form}9b`, [c]).filter((h) => h.form === form)).toEqual([]);
    expect(findLeaks('IP-7Q2K-Z4M9 203.0.113.57', [V4, V6, MAPPED])).toEqual([]);
  });

  it('reports where a leak was, with context', () => {
    const r = leakReport({ 'server.log': 'ok\n{"msg":"x","ip":"198.18.47.219"}', clean: 'nothing' }, [V4]);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(/^server\.log: 198\.18\.47\.219 \(198\.18\.47\.219\) in …/);
  });
});
