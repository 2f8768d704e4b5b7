import type { ClusterConfig } from './config';
import type { ClusterStatus, EvidenceKind } from './types';
import type { Member, PageRef } from './state';

const MAX_CLUSTER_PAGES = 100;
const MAX_PAGE_MEMBERS = 8;
const MAX_ABSORBED = 20;

export interface ClusterPage extends PageRef {
  /** ids of members that edited it (at most 8) */
  members: Set<number>;
}

/** Decay `heat` measured at `at` to time `t`. */
export function decayed(heat: number, at: number, t: number, halfLife: number): number {
  return t <= at ? heat : heat * Math.pow(2, -(t - at) / halfLife);
}

/** An edit's heat contribution: 1 unscored; scored, 0.25 + 1.5 × score (1 at score 0.5). */
export function editWeight(score: number | undefined): number {
  return score === undefined ? 1 : 0.25 + 1.5 * Math.min(1, Math.max(0, score));
}

export class Cluster {
  status: ClusterStatus = 'active';
  mergedInto: string | null = null;
  readonly absorbed: string[] = [];
  readonly members = new Set<Member>();
  readonly wikis = new Set<string>();
  readonly pages = new Map<string, ClusterPage>();
  /** bin start → edits */
  readonly bins = new Map<number, number>();
  readonly links: Record<EvidenceKind, number> = { range: 0, page: 0, summary: 0, userAgent: 0, suspicious: 0, burst: 0 };
  editCount = 0;
  scoredEdits = 0;
  suspiciousEdits = 0;
  lastSeen: number;
  closedAt: number | null = null;
  heat = 0;
  heatAt: number;
  peakHeat = 0;
  /** the engine's change counter when this cluster last changed */
  version = 0;

  constructor(
    readonly id: string,
    readonly seq: number,
    public firstSeen: number,
    private readonly c: ClusterConfig,
  ) {
    this.lastSeen = firstSeen;
    this.heatAt = firstSeen;
  }

  heatAtTime(t: number): number {
    return decayed(this.heat, this.heatAt, t, this.c.heatHalfLifeMs);
  }

  private addHeat(amount: number, t: number): void {
    const at = Math.max(t, this.heatAt);
    this.heat = this.heatAtTime(at) + amount;
    this.heatAt = at;
    this.peakHeat = Math.max(this.peakHeat, this.heat);
  }

  private bin(t: number, n: number): void {
    const start = t - (t % this.c.seriesBinMs);
    this.bins.set(start, (this.bins.get(start) ?? 0) + n);
    if (this.bins.size > this.c.seriesBins) {
      const oldest = Math.min(...this.bins.keys());
      this.bins.delete(oldest);
    }
  }

  private addPage(key: string, ref: PageRef, memberId: number, edits: number): void {
    let p = this.pages.get(key);
    if (!p) {
      if (this.pages.size >= MAX_CLUSTER_PAGES) return;
      p = { wiki: ref.wiki, title: ref.title, edits: 0, members: new Set() };
      this.pages.set(key, p);
    }
    p.edits += edits;
    if (p.members.size < MAX_PAGE_MEMBERS) p.members.add(memberId);
  }

  /** A member joins, bringing its recent activity (edits, heat, pages, times). */
  join(m: Member, t: number): void {
    this.members.add(m);
    m.cluster = this;
    this.editCount += m.edits;
    this.scoredEdits += m.scored;
    this.suspiciousEdits += m.suspicious;
    this.firstSeen = Math.min(this.firstSeen, m.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, m.lastSeen);
    this.addHeat(decayed(m.heat, m.heatAt, Math.max(t, this.heatAt), this.c.heatHalfLifeMs), t);
    for (const [key, ref] of m.pages) {
      this.addPage(key, ref, m.id, ref.edits);
      this.wikis.add(ref.wiki);
    }
    for (const at of m.times) this.bin(at, 1);
  }

  /** A member of this cluster edited. */
  edit(m: Member, pageKey: string, ref: PageRef, t: number, score: number | undefined, suspicious: boolean): void {
    this.editCount++;
    if (score !== undefined) this.scoredEdits++;
    if (suspicious) this.suspiciousEdits++;
    this.lastSeen = Math.max(this.lastSeen, t);
    this.wikis.add(ref.wiki);
    this.addPage(pageKey, ref, m.id, 1);
    this.addHeat(editWeight(score), t);
    this.bin(t, 1);
  }

  /** Absorb a younger cluster: its members, counts, pages, series and heat; it becomes 'merged'. */
  absorb(other: Cluster, t: number): void {
    for (const m of other.members) {
      this.members.add(m);
      m.cluster = this;
    }
    this.editCount += other.editCount;
    this.scoredEdits += other.scoredEdits;
    this.suspiciousEdits += other.suspiciousEdits;
    this.firstSeen = Math.min(this.firstSeen, other.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, other.lastSeen);
    for (const w of other.wikis) this.wikis.add(w);
    for (const [key, p] of other.pages) for (const id of p.members) this.addPage(key, p, id, 0);
    for (const [key, p] of other.pages) {
      const mine = this.pages.get(key);
      if (mine) mine.edits += p.edits;
    }
    for (const [start, n] of other.bins) this.bin(start, n);
    for (const k of Object.keys(this.links) as EvidenceKind[]) this.links[k] += other.links[k];
    this.addHeat(other.heatAtTime(Math.max(t, this.heatAt)), t);
    this.absorbed.push(other.id, ...other.absorbed);
    this.absorbed.splice(0, Math.max(0, this.absorbed.length - MAX_ABSORBED));
    other.status = 'merged';
    other.mergedInto = this.id;
    other.closedAt = t;
    other.members.clear();
  }
}
