import type { ClusterConfig } from './config';
import type { EvidenceKind } from './types';
import { TimedMap, type Member, type Timed } from './state';

/** Evidence two members have accumulated within the window. */
export interface Pair extends Timed {
  a: Member;
  b: Member;
  /** strongest shared range weight (address, /64, /24, /48, /16) */
  range: number;
  /** co-edited pages → rarity-weighted weight (at most 8 pages kept; null until the first) */
  pages: Map<string, number> | null;
  summary: number;
  userAgent: number;
  burst: boolean;
  suspicious: boolean;
}

export interface PairScore {
  score: number;
  primary: number;
  kinds: EvidenceKind[];
}

const MAX_PAIR_PAGES = 8;

/** The bounded pair-evidence store: one record per pair of members, dropped a window after its last touch. */
export class PairStore {
  private readonly pairs = new TimedMap<number, Pair>();

  constructor(private readonly c: ClusterConfig) {}

  get size(): number {
    return this.pairs.size;
  }

  /** The pair's record, created empty if new, moved to the most-recent end. */
  get(a: Member, b: Member, t: number): Pair {
    // member ids stay below 2^26 (engine.ts), so the key is exact
    const key = a.id < b.id ? a.id * 67_108_864 + b.id : b.id * 67_108_864 + a.id;
    let p = this.pairs.get(key);
    if (!p) {
      p = { a, b, last: t, queued: t, range: 0, pages: null, summary: 0, userAgent: 0, burst: false, suspicious: false };
      this.pairs.add(key, p);
    } else if (t > p.last) p.last = t;
    return p;
  }

  evict(now: number): void {
    this.pairs.evict(now, this.c.windowMs, this.c.maxPairs);
  }

  addPage(p: Pair, page: string, weight: number): void {
    p.pages ??= new Map();
    if (weight <= (p.pages.get(page) ?? 0)) return;
    p.pages.set(page, weight);
    if (p.pages.size > MAX_PAIR_PAGES) {
      // keep the heaviest pages
      let minKey: string | null = null;
      let min = Infinity;
      for (const [k, w] of p.pages) if (w < min) [min, minKey] = [w, k];
      if (minKey !== null) p.pages.delete(minKey);
    }
  }

  score(p: Pair): PairScore {
    const w = this.c.weights;
    let pages = 0;
    if (p.pages) for (const v of p.pages.values()) pages += v * w.page;
    pages = Math.min(pages, w.pageMax);
    const kinds: EvidenceKind[] = [];
    if (p.range > 0) kinds.push('range');
    if (pages > 0) kinds.push('page');
    if (p.summary > 0) kinds.push('summary');
    if (p.userAgent > 0) kinds.push('userAgent');
    if (p.suspicious) kinds.push('suspicious');
    if (p.burst) kinds.push('burst');
    const primary = p.range + pages + p.summary * w.summary + p.userAgent * w.userAgent;
    const score = primary + (p.suspicious ? w.suspicious : 0) + (p.burst ? w.burst : 0);
    return { score, primary, kinds };
  }

  /** The documented link rule: enough score, enough shared-attribute evidence, enough kinds agreeing. */
  passes(s: PairScore): boolean {
    return s.score >= this.c.linkScore && s.primary >= this.c.minPrimary && s.kinds.length >= this.c.minKinds;
  }
}
