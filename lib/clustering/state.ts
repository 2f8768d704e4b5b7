import type { Cluster } from './clusters';

/** A non-registered actor the engine clusters: an IP editor or a temporary account. */
export interface Member {
  /** small integer identity (pair keys) */
  id: number;
  key: string;
  kind: 'ip' | 'temp';
  display: string;
  firstSeen: number;
  lastSeen: number;
  edits: number;
  /** edits that came with a score, and those scored ≥ suspiciousScore */
  scored: number;
  suspicious: number;
  heat: number;
  heatAt: number;
  /** time of the latest edit scored ≥ suspiciousScore */
  suspiciousAt: number;
  /** MinHash signature of the latest non-trivial summary */
  sig: Uint32Array | null;
  /** the narrow and wide ranges (and IPv4 address) of the latest edit */
  ranges: MemberRange[];
  ua: { key: string; display: string } | null;
  cluster: Cluster | null;
  /** recent pages (at most 8) and edit times (at most 8), folded into a cluster the member joins */
  pages: Map<string, PageRef>;
  times: number[];
}

export type RangeKind = 'address' | 'v4net24' | 'v4net16' | 'v6net64' | 'v6net48';

export interface MemberRange {
  key: string;
  display: string;
  prefix: number;
  kind: RangeKind;
}

export interface PageRef {
  wiki: string;
  title: string;
  edits: number;
}

/** One index entry: a range, page, summary bucket or user agent, and who used it recently. */
export interface Entry extends Timed {
  /** for range entries: the pseudonym label (aggregates) */
  label: MemberRange | null;
  /** most recent non-registered members and the time of their latest edit here (≤ fanoutCap) */
  recent: Map<Member, number>;
  /** distinct editors of any kind (registered users too) and their latest time here (≤ distinctCap) */
  distinct: Map<string, number>;
  /** latest edit times (≤ distinctCap) */
  times: number[];
}

/**
 * A time-ordered map without a reorder per touch: records carry `last` (updated freely) and `queued` (when
 * they were last placed at the back). Eviction walks from the front: an expired record is dropped; a live one
 * that was touched since it was queued moves to the back once (amortised O(1) per record per window).
 */
export interface Timed {
  last: number;
  queued: number;
}

export class TimedMap<K, V extends Timed> {
  readonly map = new Map<K, V>();

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  add(key: K, v: V): void {
    this.map.set(key, v);
  }

  evict(now: number, ttl: number, cap: number): void {
    const from = now - ttl;
    for (const [k, v] of this.map) {
      if (v.queued >= from && this.map.size <= cap) return;
      this.map.delete(k);
      if (v.last >= from && this.map.size < cap) {
        v.queued = now;
        this.map.set(k, v);
      }
    }
  }
}

/** Move a key to the end of an insertion-ordered Map (the "most recently touched" end). */
export function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/** Drop entries from the front (least recently touched) while `expired` says so or the map exceeds `cap`. */
export function evictFront<K, V>(map: Map<K, V>, expired: (v: V) => boolean, cap: number, onEvict?: (k: K, v: V) => void): void {
  for (const [k, v] of map) {
    if (map.size <= cap && !expired(v)) return;
    map.delete(k);
    onEvict?.(k, v);
  }
}

export function pushRing(ring: number[], v: number, cap: number): void {
  ring.push(v);
  if (ring.length > cap) ring.shift();
}

/** Count ring values ≥ from. */
export function countSince(ring: number[], from: number): number {
  let n = 0;
  for (const t of ring) if (t >= from) n++;
  return n;
}

/** Record an editor in an entry's distinct map (bounded, least recent dropped) and count those in the window. */
export function noteDistinct(e: Entry, editor: string, t: number, from: number, cap: number): number {
  touch(e.distinct, editor, t);
  evictFront(e.distinct, (at) => at < from, cap);
  return e.distinct.size;
}
