import { describe, expect, it } from 'vitest';
import { anomalies, median, percentile, type HolderCounts } from '@/lib/reveal/anomaly';

const cfg = { medianFactor: 3, peerPercentile: 95 };
const holder = (id: string, last24h: number, daily: number[] = []): HolderCounts => ({ holderId: id, holderName: id, last24h, daily });

describe('reveal anomaly flags', () => {
  it('median and nearest-rank percentile', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });

  it('flags a holder above 3× their own 30-day daily median, not at it', () => {
    const busy = Array<number>(30).fill(4); // median 4 → threshold 12
    expect(anomalies([holder('a', 12, busy)], cfg)).toEqual([]);
    expect(anomalies([holder('a', 13, busy)], cfg)).toMatchObject([{ holderId: 'a', reasons: ['self'], median: 4 }]);
  });

  it('takes a quiet holder’s median as 1 (flags above 3 reveals, not the first)', () => {
    expect(anomalies([holder('q', 3)], cfg)).toEqual([]);
    expect(anomalies([holder('q', 4)], cfg)).toMatchObject([{ reasons: ['self'], median: 0 }]);
  });

  it('flags a holder above the 95th percentile of at least three peers', () => {
    const usual = Array<number>(30).fill(10); // own threshold 30: never reached here
    const peers = [holder('p1', 5, usual), holder('p2', 6, usual), holder('p3', 7, usual)];
    expect(anomalies([...peers, holder('x', 7, usual)], cfg)).toEqual([]);
    const flags = anomalies([...peers, holder('x', 9, usual)], cfg);
    expect(flags).toMatchObject([{ holderId: 'x', reasons: ['peers'], peerThreshold: 7 }]);
    // with two peers the peer rule is not evaluated
    expect(anomalies([peers[0]!, peers[1]!, holder('x', 9, usual)], cfg)).toEqual([]);
  });

  it('is configurable', () => {
    expect(anomalies([holder('a', 3)], { medianFactor: 2, peerPercentile: 95 })).toMatchObject([{ reasons: ['self'] }]);
  });
});
