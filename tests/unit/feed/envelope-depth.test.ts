import { describe, expect, it } from 'vitest';
import { LIMITS, parseJsonSafe, TOO_DEEP, valueDepth } from '@/lib/feed/limits';
import { parseActionApiDocument } from '@/lib/feed/parse-action-api';

/**
 * Envelopes of many events (an Action API response, an /api/ingest body) are parsed without a depth cap on
 * the whole document and checked per event, so one deeply nested event is dead-lettered alone (found by the
 * fuzzed-feed proof, tests/integration/fuzz-feeds.test.ts: the whole response used to be rejected).
 */
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const row = (rcid: number, extra = '') =>
  `{"type":"edit","ns":0,"title":"Page","rcid":${rcid},"revid":5,"old_revid":4,"user":"Example","timestamp":"2020-04-12T14:01:51Z"${extra}}`;

describe('depth limits per event inside an envelope', () => {
  it('counts the depth of a parsed value without recursion, up to just past the limit', () => {
    expect([valueDepth(1), valueDepth([]), valueDepth({ a: [{}] }), valueDepth(JSON.parse(deep(32)))]).toEqual([0, 1, 3, 32]);
    expect(valueDepth(JSON.parse(deep(50_000)))).toBe(LIMITS.maxJsonDepth + 1);
    expect(parseJsonSafe(deep(50_000), { maxDepth: null }).ok).toBe(true);
    expect(parseJsonSafe(deep(50_000))).toEqual({ ok: false, reason: TOO_DEEP });
  });

  it('dead-letters a deeply nested Action API row alone; its neighbours in the same response parse', () => {
    for (const depth of [40, 100_000]) {
      const doc = `{"batchcomplete":true,"query":{"recentchanges":[${row(1)},${row(2, `,"logparams":{"x":${deep(depth)}}`)},${row(3)}]}}`;
      const r = parseActionApiDocument(doc, { wiki: 'lvwiki' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.page.rows.map((x) => (x.result.ok ? x.result.edit.rcId : x.result.reason))).toEqual([1, TOO_DEEP, 3]);
    }
  });
});

describe('what is not an Action API response', () => {
  it('dead-letters an object without a query (a stray row, unrelated JSON); an empty listing with batchcomplete is fine', () => {
    expect(parseActionApiDocument(row(7), { wiki: 'lvwiki' })).toEqual({ ok: false, reason: 'field `query` is missing' });
    expect(parseActionApiDocument('{}', { wiki: 'lvwiki' })).toEqual({ ok: false, reason: 'field `query` is missing' });
    expect(parseActionApiDocument('{"batchcomplete":true}', { wiki: 'lvwiki' })).toEqual({ ok: true, page: { rows: [], rccontinue: null, error: null } });
  });
});
