import { describe, expect, it } from 'vitest';
import { parseActionApiDocument, parseActionApiRow } from '@/lib/feed/parse-action-api';
import { parseEventStreamsLine } from '@/lib/feed/parse-eventstreams';
import { parseIrc2015Line } from '@/lib/feed/parse-irc2015';
import { jsonDepth, parseJsonSafe } from '@/lib/feed/limits';
import { ES_SAMPLE, IRC_SAMPLE, lines } from './fixtures';

const es = JSON.parse(lines(ES_SAMPLE, 1)[0] as string) as Record<string, unknown>;
const irc = JSON.parse(lines(IRC_SAMPLE, 3)[2] as string) as Record<string, unknown>;
const SECRET_IP = '60.225.66.142';
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Hostile variants of a valid EventStreams line; each must be rejected with a reason. */
const esCorpus: [string, string | Uint8Array][] = [
  ['wrong type: user number', JSON.stringify({ ...es, user: 12345 })],
  ['wrong type: bot string', JSON.stringify({ ...es, bot: 'yes' })],
  ['wrong type: namespace float', JSON.stringify({ ...es, namespace: 1.5 })],
  ['missing meta', JSON.stringify({ ...es, meta: undefined })],
  ['unknown type', JSON.stringify({ ...es, type: 'delete-everything' })],
  ['huge title', JSON.stringify({ ...es, title: 'A'.repeat(513) })],
  ['huge comment', JSON.stringify({ ...es, comment: `${SECRET_IP} `.repeat(300) })],
  ['huge line', JSON.stringify({ ...es, parsedcomment: 'x'.repeat(2 * 1024 * 1024) })],
  ['lone surrogate', JSON.stringify({ ...es, title: 'ab' }).replace('"title":"ab"', '"title":"a\\ud800b"')],
  ['NUL in comment', JSON.stringify({ ...es, comment: 'a\u0000b' })],
  ['broken UTF-8 bytes', Buffer.concat([Buffer.from(JSON.stringify(es).slice(0, 50)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(JSON.stringify(es).slice(50))])],
  ['negative size', JSON.stringify({ ...es, length: { old: -5, new: 10 } })],
  ['bogus wiki id', JSON.stringify({ ...es, wiki: '../../etc/passwd' })],
  ['bogus server url', JSON.stringify({ ...es, server_url: 'javascript:alert(1)' })],
  ['timestamp as string', JSON.stringify({ ...es, timestamp: '2023-07-29' })],
  ['deeply nested log_params', `${JSON.stringify(es).slice(0, -1)},"log_params":${deep(10_000)}}`],
  // values the parser once let through but the database refuses (one such event used to stall the whole feed)
  ['page size beyond 32 bits', JSON.stringify({ ...es, length: { old: 1, new: 2 ** 40 } })],
  ['timestamp in the year 275760', JSON.stringify({ ...es, timestamp: 8.64e12 })],
  ['timestamp before 2001', JSON.stringify({ ...es, timestamp: 900_000_000 })],
  ['escaped NUL inside log_params', JSON.stringify({ ...es, log_params: { a: ['x\u0000'] } })],
  ['lone surrogate key in log_params', JSON.stringify({ ...es, log_params: { '\ud800': 1 } })],
  ['not JSON', '{"meta": '],
  ['JSON array', '[1,2,3]'],
  ['JSON null', 'null'],
  ['empty', ''],
];

describe('hostile EventStreams input', () => {
  it.each(esCorpus)('%s → rejected with a value-free reason', (_name, input) => {
    let result: ReturnType<typeof parseEventStreamsLine> | undefined;
    expect(() => (result = parseEventStreamsLine(input))).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.reason.length).toBeGreaterThan(0);
      expect(result.reason).not.toContain(SECRET_IP);
      expect(result.reason).not.toContain('12345');
      expect(result.reason).not.toContain('passwd');
      expect(result.reason.length).toBeLessThan(400);
    }
  });

  it('names the offending field', () => {
    const r = parseEventStreamsLine(JSON.stringify({ ...es, user: 12345 }));
    expect(r).toEqual({ ok: false, reason: 'field `user` has the wrong type or is missing' });
    const t = parseEventStreamsLine(JSON.stringify({ ...es, title: 'A'.repeat(513) }));
    expect(t.ok ? '' : t.reason).toBe('field `title` is too long or too large');
  });

  it('names the root of a document that is not an object', () => {
    expect(parseEventStreamsLine('[1,2,3]')).toEqual({ ok: false, reason: 'field `(root)` has the wrong type or is missing' });
  });

  it('a bogus IP-like user is not anonymous', () => {
    for (const user of ['1.2.3', '999.1.1.1', '1.2.3.4.5', '::g', '1.2.3.4/24']) {
      const r = parseEventStreamsLine(JSON.stringify({ ...es, user }));
      expect(r.ok && r.edit.isAnon).toBe(false);
    }
  });

  it('valid neighbours of hostile lines still parse', () => {
    const mixed = lines(ES_SAMPLE, 10).flatMap((l, i) => [l, esCorpus[i % esCorpus.length]?.[1] as string | Uint8Array]);
    const results = mixed.map(parseEventStreamsLine);
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok)).toHaveLength(10);
  });
});

describe('hostile 2015 IRC and Action API input', () => {
  it.each([
    ['unknown channel shape', { ...irc, channel: 'en.wikipedia' }],
    ['bad country code', { ...irc, countryIsoCode: 'Australia' }],
    ['bad time', { ...irc, time: 'yesterday' }],
    ['delta as string', { ...irc, delta: '12' }],
    ['huge namespace name', { ...irc, namespace: 'N'.repeat(1000) }],
    ['empty user', { ...irc, user: '' }],
    ['time in the year 9999', { ...irc, time: '9999-12-31T23:59:59.999Z' }],
  ])('irc: %s', (_name, obj) => {
    const r = parseIrc2015Line(JSON.stringify(obj));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).not.toContain(SECRET_IP);
  });

  it('action api: bad rows become per-row failures, good rows survive', () => {
    const good = { type: 'edit', ns: 0, title: 'T', rcid: 5, revid: 9, old_revid: 8, user: SECRET_IP, anon: true, timestamp: '2020-04-12T14:01:51Z' };
    const doc = parseActionApiDocument(
      JSON.stringify({ query: { recentchanges: [good, { ...good, rcid: -1 }, { ...good, user: undefined, userhidden: true }, 'x', good] } }),
      { wiki: 'lvwiki' },
    );
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    expect(doc.page.rows.map((r) => r.result.ok)).toEqual([true, false, false, false, true]);
    expect(doc.page.rows.every((r) => r.result.ok || !r.result.reason.includes(SECRET_IP))).toBe(true);
  });

  it('action api: a bad envelope or configured wiki is rejected', () => {
    expect(parseActionApiDocument('{"continue":{"rccontinue":"evil"}}', { wiki: 'lvwiki' }).ok).toBe(false);
    expect(parseActionApiDocument('{"query":{"recentchanges":{}}}', { wiki: 'lvwiki' }).ok).toBe(false);
    expect(parseActionApiRow({}, { wiki: 'Not A Wiki' }).ok).toBe(false);
  });
});

describe('safe JSON parsing', () => {
  it('rejects deep nesting before JSON.parse and counts depth outside strings only', () => {
    expect(parseJsonSafe(deep(100_000))).toEqual({ ok: false, reason: 'input is nested deeper than 32 levels' });
    expect(jsonDepth('{"a":"[[[[[[","b":[{}]}')).toBe(3);
    expect(parseJsonSafe(deep(32)).ok).toBe(true);
  });
});
