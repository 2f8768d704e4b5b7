import { Readable } from 'node:stream';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { isStrictIp } from '@/lib/feed/ip';
import { LIMITS, parseJsonSafe } from '@/lib/feed/limits';
import { splitLines } from '@/lib/feed/lines';
import { canonicalFlat, irc2015LineTime, parseIrc2015Line } from '@/lib/feed/parse-irc2015';
import { IRC_SAMPLE, lines } from './fixtures';

/**
 * The shortcuts taken for ingest speed give the same answers as the slow paths they skip: the replay's
 * time-only pass agrees with the full parser, the IPv4 shape check never refuses what ipaddr.js accepts,
 * the bracket count never lets a deep document through, and line splitting by indexOf matches the
 * byte-by-byte definition.
 */
describe('ingest fast paths', () => {
  it('irc2015LineTime agrees with the full parser on the real day and on broken lines', () => {
    const sample = [
      ...lines(IRC_SAMPLE, 3000),
      '{}',
      'not json',
      '{"time":"2015-09-12T00:00:00.000Z","channel":"#nowiki","page":"x","user":"y"}',
      lines(IRC_SAMPLE, 1)[0]!.replace('"2015-09-12T', '"2015-13-12T'),
      lines(IRC_SAMPLE, 1)[0]!.replace(/"channel":"[^"]*"/, '"channel":"#xx.nonsense"'),
    ];
    for (const line of sample) {
      const full = parseIrc2015Line(Buffer.from(line));
      expect(irc2015LineTime(Buffer.from(line))).toBe(full.ok ? Date.parse(full.edit.timestamp) : null);
    }
  }, 60_000); // parses 3,000 real lines twice: seconds on a busy 2-core machine, not a timing check

  it('canonicalFlat is the RFC 8785 library\'s output for flat objects, or declines', () => {
    const safe = (o: Record<string, unknown>) => {
      try {
        return canonicalize(o) ?? null;
      } catch {
        return 'throws';
      }
    };
    // every real line of the day (the identity hash must not change: stored events are keyed by it)
    for (const line of lines(IRC_SAMPLE, 5000)) {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect(canonicalFlat(o)).toBe(safe(o));
    }
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const value = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(text, fc.integer(), { maxKeys: 2 }));
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 8 }), (o) => {
        const fast = canonicalFlat(o);
        // when it answers, it is the library's answer; it declines only for what it does not cover
        if (fast !== null) expect(fast).toBe(safe(o));
        else
          expect(
            Object.entries(o).some(
              ([k, v]) =>
                /[\ud800-\udfff]/.test(k) || k === '__proto__' || /^(0|[1-9]\d*)$/.test(k) ||
                (typeof v === 'string' ? /[\ud800-\udfff]/.test(v) : typeof v === 'object' ? v !== null : typeof v === 'number' && !Number.isFinite(v)),
            ),
          ).toBe(true);
      }),
      { numRuns: 5000 },
    );
    for (const o of [{ b: 1, a: 'x', '10': true, '9': null }, JSON.parse('{"__proto__": 1, "a": 2}'), { a: 'pair 𝄞', b: 'lone \ud800' }, { a: '\\ud800 typed' }])
      expect(canonicalFlat(o) ?? safe(o)).toBe(safe(o));
  });

  it('isStrictIp matches the ipaddr.js definition for dotted strings', () => {
    const reference = (s: string) =>
      s.length >= 2 && s.length <= 45 && ipaddr.IPv4.isValidFourPartDecimal(s) && !/(^|\.)0\d/.test(s);
    const dotted = fc.stringMatching(/^[0-9x.a-f ]{1,20}$/);
    fc.assert(fc.property(dotted, (s) => s.includes(':') || isStrictIp(s) === reference(s)), { numRuns: 3000 });
    for (const s of ['1.2.3.4', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '0x7f.0.0.1', 'Example', '1.2.3.4 '])
      expect(isStrictIp(s)).toBe(reference(s));
  });

  it('still refuses documents nested deeper than the limit, strings or bytes', () => {
    const deep = `${'['.repeat(LIMITS.maxJsonDepth + 1)}${']'.repeat(LIMITS.maxJsonDepth + 1)}`;
    expect(parseJsonSafe(deep).ok).toBe(false);
    expect(parseJsonSafe(Buffer.from(deep)).ok).toBe(false);
    // many brackets inside strings, shallow structure: accepted
    const shallow = JSON.stringify({ a: '{['.repeat(100), b: [[1], { c: [] }] });
    expect(parseJsonSafe(Buffer.from(shallow))).toEqual({ ok: true, value: JSON.parse(shallow) });
  });

  it('splits lines on "\\n" only, keeping a CR before it, across chunk boundaries', async () => {
    const text = 'a\r\n\nbb\rcc\n' + 'x'.repeat(50) + '\nlast\r';
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(Buffer.from(text.slice(i, i + size)));
      const out: string[] = [];
      for await (const l of splitLines(Readable.from(chunks), { maxLineBytes: 20 }))
        out.push(l.tooLong ? `<too long ${l.size}>` : Buffer.from(l.bytes).toString());
      expect(out).toEqual(['a\r', '', 'bb\rcc', '<too long 50>', 'last']);
    }
  });
});
