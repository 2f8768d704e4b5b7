import type { MaskedEdit } from '../masking/types';
import type { SizeBucket } from './aggregates';

/** One stored edit, as the ingester hands it over right after masking and scoring. */
export interface ObservedEdit {
  /** the stored edit's id (echoed nowhere; kept for the caller's bookkeeping) */
  id: string;
  edit: MaskedEdit;
  /** revert-risk score in [0, 1] when the scorer produced one */
  score?: number;
}

export interface ObserveResult {
  /** `ip:<pseudonym key>` or `temp:<name>`; null for registered users, bots and log entries */
  memberKey: string | null;
  /** the member's open cluster after this edit, if any */
  clusterId: string | null;
}

export type ClusterStatus = 'active' | 'closed' | 'merged';
export type EvidenceKind = 'range' | 'page' | 'summary' | 'userAgent' | 'suspicious' | 'burst';

export interface ClusterMember {
  key: string;
  kind: 'ip' | 'temp';
  /** IP-XXXX-XXXX or the temporary account name: never an address */
  display: string;
  edits: number;
}

export interface ClusterSnapshot {
  id: string;
  status: ClusterStatus;
  /** set when status is 'merged': the cluster that absorbed this one */
  mergedInto: string | null;
  /** ids of clusters merged into this one (most recent 20) */
  absorbed: string[];
  wikis: string[];
  members: ClusterMember[];
  memberCount: number;
  memberBucket: SizeBucket;
  editCount: number;
  /** the busiest pages (at most 10) and how many distinct pages were seen (capped at 100) */
  pages: { wiki: string; title: string; edits: number; members: number }[];
  pageCount: number;
  /** ISO 8601 */
  firstSeen: string;
  lastSeen: string;
  closedAt: string | null;
  /** decayed to the engine's current time */
  heat: number;
  peakHeat: number;
  reasons: string[];
  /** how many member links each kind of evidence took part in */
  links: Record<EvidenceKind, number>;
  /** edits per bin (config.seriesBinMs), oldest first, only bins with edits */
  series: { t: string; edits: number }[];
}

export interface ActorAggregate {
  key: string;
  kind: 'ip' | 'temp';
  display: string;
  edits: number;
  firstSeen: string;
  lastSeen: string;
  heat: number;
  clusterId: string | null;
}

export interface RangeAggregate {
  key: string;
  display: string;
  prefix: number;
  /** distinct non-registered actors within the window (counted up to config.distinctCap) */
  actors: number;
  actorBucket: SizeBucket;
  /** edits within the window (counted up to config.distinctCap) */
  edits: number;
  editBucket: SizeBucket;
  /** open clusters that have a recent member in this range */
  clusterIds: string[];
}

export interface EngineStats {
  members: number;
  entries: number;
  pairs: number;
  activeClusters: number;
  retainedClusters: number;
  changeLog: number;
  observed: number;
  clustered: number;
  refusedLinks: number;
}
