/**
 * Pure helpers for the UI's aggregates: bucketed counts (for views that may not show exact numbers),
 * time-series binning for charts, and the durations the reasons use.
 */
export type SizeBucket = '0' | '1–2' | '3–5' | '6–10' | '11+';

export const SIZE_BUCKETS: readonly SizeBucket[] = ['0', '1–2', '3–5', '6–10', '11+'];

export function bucket(n: number): SizeBucket {
  if (!(n > 0)) return '0';
  if (n <= 2) return '1–2';
  if (n <= 5) return '3–5';
  if (n <= 10) return '6–10';
  return '11+';
}

/** Count of each bucket over a list of sizes (every bucket present, in order). */
export function bucketCounts(sizes: Iterable<number>): Record<SizeBucket, number> {
  const out = Object.fromEntries(SIZE_BUCKETS.map((b) => [b, 0])) as Record<SizeBucket, number>;
  for (const n of sizes) out[bucket(n)]++;
  return out;
}

export interface SeriesPoint {
  /** epoch ms */
  t: number;
  /** default 1 (an event count) */
  value?: number;
}

export interface Bin {
  /** bin start, epoch ms */
  start: number;
  count: number;
  sum: number;
}

/**
 * Bin points into [from, to) in steps of binMs, every bin present (zeros included) so charts draw gaps.
 * Points outside the range are ignored. Bin starts are aligned to multiples of binMs.
 */
export function binSeries(points: Iterable<SeriesPoint>, opts: { from: number; to: number; binMs: number }): Bin[] {
  const { binMs } = opts;
  if (!(binMs > 0)) throw new RangeError('binSeries: binMs must be positive');
  const first = Math.floor(opts.from / binMs) * binMs;
  const n = Math.max(0, Math.ceil((opts.to - first) / binMs));
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ start: first + i * binMs, count: 0, sum: 0 }));
  for (const p of points) {
    if (p.t < opts.from || p.t >= opts.to) continue;
    const b = bins[Math.floor((p.t - first) / binMs)];
    if (!b) continue;
    b.count++;
    b.sum += p.value ?? 1;
  }
  return bins;
}

/** "45 s", "20 min", "2 h 5 min", "3 d" */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} d`;
}
