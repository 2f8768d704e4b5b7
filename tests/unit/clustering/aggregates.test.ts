import { describe, expect, it } from 'vitest';
import { binSeries, bucket, bucketCounts, formatDuration } from '@/lib/clustering/aggregates';
import { normaliseSummary, signature, similarity } from '@/lib/clustering/minhash';

describe('aggregates', () => {
  it('buckets counts for views that may not show more', () => {
    expect([0, 1, 2, 3, 5, 6, 10, 11, 500].map(bucket)).toEqual(['0', '1–2', '1–2', '3–5', '3–5', '6–10', '6–10', '11+', '11+']);
    expect(bucket(-1)).toBe('0');
    expect(bucketCounts([2, 2, 4, 12])).toEqual({ '0': 0, '1–2': 2, '3–5': 1, '6–10': 0, '11+': 1 });
  });

  it('bins a time series with empty bins kept', () => {
    const bins = binSeries([{ t: 1000 }, { t: 1500, value: 3 }, { t: 4200 }, { t: 9000 }], { from: 1000, to: 5000, binMs: 1000 });
    expect(bins).toEqual([
      { start: 1000, count: 2, sum: 4 },
      { start: 2000, count: 0, sum: 0 },
      { start: 3000, count: 0, sum: 0 },
      { start: 4000, count: 1, sum: 1 },
    ]);
    expect(() => binSeries([], { from: 0, to: 1, binMs: 0 })).toThrow(RangeError);
  });

  it('formats durations for reasons', () => {
    expect([45_000, 20 * 60_000, 125 * 60_000, 120 * 60_000, 72 * 3_600_000].map(formatDuration)).toEqual(['45 s', '20 min', '2 h 5 min', '2 h', '3 d']);
  });
});

describe('summary MinHash', () => {
  const sig = (s: string) => signature(normaliseSummary(s) as string);
  it('finds look-alike summaries alike and different ones not', () => {
    expect(similarity(sig('fixed info per source'), sig('fixed info per sources'))).toBeGreaterThanOrEqual(0.5);
    expect(similarity(sig('fixed info per source'), sig('Fixed  info per source'))).toBe(1);
    expect(similarity(sig('fixed info per source'), sig('update population figure'))).toBeLessThan(0.3);
  });
  it('ignores section markers and trivial summaries', () => {
    expect(normaliseSummary('/* History */ expand')).toBe('expand');
    expect(normaliseSummary('/* See also */')).toBeNull();
    expect(normaliseSummary('rv')).toBeNull();
    expect(normaliseSummary(null)).toBeNull();
  });
});
