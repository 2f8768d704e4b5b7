import { describe, expect, it } from 'vitest';
import { applyReview, applyWhitelist, mergeRows } from '@/components/tables/queue/state';
import { DEFAULT_FILTERS, filtersToSearch, matchesFilters, parseFilters } from '@/lib/edits/filters';
import type { EditRow } from '@/lib/edits/queries';

function row(id: number, over: Partial<EditRow> = {}): EditRow {
  return {
    id: String(id),
    wiki: 'enwiki',
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    title: `Page ${id}`,
    namespace: 0,
    type: 'edit',
    actorKind: 'ip',
    actorName: 'IP-AAAA-BBBB',
    actorRef: 'a'.repeat(64),
    ranges: [],
    sizeDelta: 1,
    comment: null,
    isBot: false,
    isNew: false,
    isMinor: false,
    diffUrl: null,
    score: 0.5,
    factors: [],
    cluster: null,
    actorKey: 'k',
    rangeLinks: [],
    review: null,
    whitelisted: false,
    hidden: false,
    block: null,
    net: null,
    ...over,
  };
}

describe('live queue rows', () => {
  it('merges arrivals newest first, replaces known rows, and keeps at most N', () => {
    const existing = [row(5), row(3), row(1)];
    const merged = mergeRows(existing, [row(4), row(6), row(3, { title: 'changed' })]);
    expect(merged.map((r) => r.id)).toEqual(['6', '5', '4', '3', '1']);
    expect(merged.find((r) => r.id === '3')?.title).toBe('changed');
    expect(mergeRows(existing, [row(6)], 2).map((r) => r.id)).toEqual(['6', '5']);
    expect(mergeRows(existing, [])).toBe(existing);
  });

  it('keeps 10,000 rows when 20,000 arrive, in well under a frame budget per batch', () => {
    let rows: EditRow[] = [];
    const start = performance.now();
    for (let b = 0; b < 40; b++) rows = mergeRows(rows, Array.from({ length: 500 }, (_, i) => row(b * 500 + i + 1)));
    expect(rows).toHaveLength(10_000);
    expect(rows[0]!.id).toBe('20000');
    expect((performance.now() - start) / 40).toBeLessThan(50);
  });

  it('applies reviews and whitelist changes', () => {
    const rows = [row(1), row(2, { actorKey: 'x' })];
    expect(applyReview(rows, '2', { by: 'bob', at: 'now' })[1]!.review).toEqual({ by: 'bob', at: 'now' });
    expect(applyReview(rows, '9', null)).toBe(rows);
    const w = applyWhitelist(rows, 'enwiki', 'x', true);
    expect(w.map((r) => r.whitelisted)).toEqual([false, true]);
    expect(applyWhitelist(rows, 'dewiki', 'x', true)).toBe(rows);
  });
});

describe('queue filters', () => {
  it('round-trips through the URL and drops malformed values', () => {
    const f = parseFilters(new URLSearchParams('wiki=enwiki&ns=1&score=0.7&anon=1&unreviewed=1&cluster=1&trusted=1&q=foo'));
    expect(f).toEqual({ wiki: 'enwiki', namespace: 1, minScore: 0.7, anonOnly: true, unreviewedOnly: true, clusteredOnly: true, showTrusted: true, showHidden: false, q: 'foo' });
    expect(parseFilters(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
    expect(parseFilters({ wiki: 'EN WIKI', ns: 'x', score: '7' })).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearch(DEFAULT_FILTERS)).toBe('');
  });

  it('selects the same rows as the server query would', () => {
    const f = { ...DEFAULT_FILTERS };
    expect(matchesFilters(row(1), f)).toBe(true);
    expect(matchesFilters(row(1, { whitelisted: true }), f)).toBe(false);
    expect(matchesFilters(row(1, { whitelisted: true }), { ...f, showTrusted: true })).toBe(true);
    expect(matchesFilters(row(1, { actorKind: 'user' }), { ...f, anonOnly: true })).toBe(false);
    expect(matchesFilters(row(1, { score: null }), { ...f, minScore: 0.1 })).toBe(false);
    expect(matchesFilters(row(1, { review: { by: 'a', at: 'b' } }), { ...f, unreviewedOnly: true })).toBe(false);
    expect(matchesFilters(row(1, { hidden: true }), f)).toBe(false);
    expect(matchesFilters(row(1), { ...f, q: 'page 1' })).toBe(true);
    expect(matchesFilters(row(1), { ...f, evasionOnly: true })).toBe(false);
    expect(matchesFilters(row(1, { block: { id: 'b', label: 'R24-X', evasion: true } }), { ...f, evasionOnly: true })).toBe(true);
    expect(parseFilters(new URLSearchParams('evasion=1')).evasionOnly).toBe(true);
  });

  it('filters on IP context like the server: hosting networks only, country =', () => {
    const f = { ...DEFAULT_FILTERS };
    const hosting = row(1, { net: { asn: 24940, org: 'Hetzner Online GmbH', country: 'DE', type: 'hosting', anon: null } });
    const mobile = row(2, { net: { asn: 1, org: 'X Mobile', country: 'FR', type: 'mobile', anon: null } });
    expect(matchesFilters(hosting, { ...f, hostingOnly: true })).toBe(true);
    expect(matchesFilters(mobile, { ...f, hostingOnly: true })).toBe(false);
    expect(matchesFilters(row(3), { ...f, hostingOnly: true })).toBe(false);
    expect(matchesFilters(hosting, { ...f, country: 'DE' })).toBe(true);
    expect(matchesFilters(mobile, { ...f, country: 'DE' })).toBe(false);
    expect(matchesFilters(row(3), { ...f, country: 'DE' })).toBe(false);
    const parsed = parseFilters(new URLSearchParams('hosting=1&country=de'));
    expect(parsed).toMatchObject({ hostingOnly: true, country: 'DE' });
    expect(filtersToSearch(parsed)).toBe('hosting=1&country=DE');
    // anything but two letters is dropped (lenient, like the other filters)
    for (const bad of ['DEU', 'D', '1A', 'D E', '<x>']) expect(parseFilters(new URLSearchParams({ country: bad })).country).toBeUndefined();
  });
});
