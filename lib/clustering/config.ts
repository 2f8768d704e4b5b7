/**
 * Every tunable of the cluster engine in one object (documented in docs/clustering.md). Times are in
 * milliseconds of EVENT time (the edits' timestamps), so a replay behaves like the live feed.
 */
export interface ClusterConfig {
  /** evidence lifetime: index entries, pair evidence and co-edits count only within this window */
  windowMs: number;
  /** two edits this close in time are a burst (supporting evidence only) */
  burstMs: number;
  /** a cluster with no member edit for this long closes; members idle this long are forgotten */
  closeAfterMs: number;
  /** closed and merged clusters stay readable (cluster(), changedSince()) this long, then are dropped */
  retainClosedMs: number;
  /** heat halves every this often without new edits */
  heatHalfLifeMs: number;
  /** most recent members remembered per index entry (range, page, summary bucket, user agent) */
  fanoutCap: number;
  /** distinct editors counted per page / summary bucket / user agent (popularity; more counts as this) */
  distinctCap: number;
  /** pair evidence weights (see docs/clustering.md for why these values) */
  weights: {
    /** same IPv6 /64 (one subscriber's network) */
    v6net64: number;
    /** same IPv4 address (often carrier-grade NAT, hence below a /64) */
    address: number;
    /** same IPv4 /24 */
    v4net24: number;
    /** same IPv6 /48 */
    v6net48: number;
    /** same IPv4 /16 */
    v4net16: number;
    /** per co-edited page, times its rarity min(1, pageFullEditors / distinct editors) */
    page: number;
    /** cap on the sum over co-edited pages */
    pageMax: number;
    /** similar summaries, times the summary bucket's rarity */
    summary: number;
    /** same user-agent pseudonym, times its rarity */
    userAgent: number;
    /** both members' recent edits scored ≥ suspiciousScore (supporting) */
    suspicious: number;
    /** edits within burstMs of each other (supporting) */
    burst: number;
  };
  /** a page with at most this many distinct recent editors counts fully; more editors dilute it */
  pageFullEditors: number;
  /** a summary bucket / user agent shared by at most this many distinct editors counts fully */
  summaryFullEditors: number;
  uaFullEditors: number;
  /** MinHash: similarity (estimated Jaccard of character 3-grams) at which summaries count as alike */
  summaryMinSimilarity: number;
  /** an edit with score ≥ this is "likely damaging" */
  suspiciousScore: number;
  /** link a pair when its score reaches this … */
  linkScore: number;
  /** … and its shared-attribute evidence (ranges, pages, summaries, user agent) reaches this … */
  minPrimary: number;
  /** … and at least this many kinds of evidence agree */
  minKinds: number;
  /** growing a cluster past this many members needs a shared /24, /64 or address, or giantLinkScore */
  maxClusterSize: number;
  giantLinkScore: number;
  /** a cluster never grows past this */
  hardMaxClusterSize: number;
  /** time-series bin width and how many bins a cluster keeps */
  seriesBinMs: number;
  seriesBins: number;
  /** hard caps (least recently touched evicted first) that hold even under floods */
  maxMembers: number;
  maxEntries: number;
  maxPairs: number;
}

const MIN = 60_000;

export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  windowMs: 30 * MIN,
  burstMs: 2 * MIN,
  closeAfterMs: 60 * MIN,
  retainClosedMs: 60 * MIN,
  heatHalfLifeMs: 30 * MIN,
  fanoutCap: 16,
  distinctCap: 32,
  weights: {
    v6net64: 0.8,
    address: 0.7,
    v4net24: 0.5,
    v6net48: 0.3,
    v4net16: 0.15,
    page: 0.5,
    pageMax: 1.5,
    summary: 0.5,
    userAgent: 0.4,
    suspicious: 0.5,
    burst: 0.2,
  },
  pageFullEditors: 3,
  summaryFullEditors: 5,
  uaFullEditors: 5,
  summaryMinSimilarity: 0.5,
  suspiciousScore: 0.5,
  linkScore: 1.0,
  minPrimary: 0.5,
  minKinds: 2,
  maxClusterSize: 30,
  giantLinkScore: 1.5,
  hardMaxClusterSize: 200,
  seriesBinMs: 5 * MIN,
  seriesBins: 48,
  maxMembers: 200_000,
  maxEntries: 400_000,
  maxPairs: 400_000,
};

export type ClusterConfigInput = Partial<Omit<ClusterConfig, 'weights'>> & { weights?: Partial<ClusterConfig['weights']> };

export function resolveConfig(input: ClusterConfigInput = {}): ClusterConfig {
  const c: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...input, weights: { ...DEFAULT_CLUSTER_CONFIG.weights, ...input.weights } };
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`cluster config: ${k} must be a finite number ≥ 0`);
  }
  if (c.fanoutCap < 1 || c.distinctCap < 1 || c.seriesBinMs <= 0 || c.heatHalfLifeMs <= 0) throw new RangeError('cluster config: caps, bin width and half-life must be positive');
  return c;
}
