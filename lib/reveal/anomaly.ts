/**
 * Anomaly flags over reveal counts (pure; lib/reveal/queries.ts feeds it). A holder is flagged when
 *  - `self`: their reveals in the last 24 hours exceed `medianFactor` × their own daily median over the 30
 *    days before (days without a reveal count as 0; the median is taken as at least 1, so a quiet holder is
 *    flagged above `medianFactor` reveals rather than at their first), or
 *  - `peers`: their last-24-hour count exceeds the `peerPercentile`th percentile of the other holders'
 *    last-24-hour counts (taken as at least 1; only with at least MIN_PEERS other holders, counting those with
 *    no reveal as 0).
 */
export const MIN_PEERS = 3;

export interface HolderCounts {
  holderId: string;
  holderName: string;
  last24h: number;
  /** reveals per day over the 30 days before the last 24 hours (30 entries; missing days are 0) */
  daily: number[];
}

export interface AnomalyFlag {
  holderId: string;
  holderName: string;
  last24h: number;
  median: number;
  peerThreshold: number | null;
  reasons: ('self' | 'peers')[];
}

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1]!;
}

export function anomalies(holders: HolderCounts[], cfg: { medianFactor: number; peerPercentile: number }): AnomalyFlag[] {
  const out: AnomalyFlag[] = [];
  for (const h of holders) {
    const padded = [...h.daily, ...Array<number>(Math.max(0, 30 - h.daily.length)).fill(0)].slice(0, 30);
    const m = median(padded);
    const reasons: AnomalyFlag['reasons'] = [];
    if (h.last24h > cfg.medianFactor * Math.max(m, 1)) reasons.push('self');
    const peers = holders.filter((o) => o.holderId !== h.holderId).map((o) => o.last24h);
    const threshold = peers.length >= MIN_PEERS ? Math.max(1, percentile(peers, cfg.peerPercentile)) : null;
    if (threshold !== null && h.last24h > threshold) reasons.push('peers');
    if (reasons.length) out.push({ holderId: h.holderId, holderName: h.holderName, last24h: h.last24h, median: m, peerThreshold: threshold, reasons });
  }
  return out.sort((a, b) => b.last24h - a.last24h);
}
