import { Cluster, decayed, editWeight } from './clusters';
import { resolveConfig, type ClusterConfig, type ClusterConfigInput } from './config';
import { editFeatures, type EditFeatures } from './features';
import { similarity } from './minhash';
import { PairStore, type Pair, type PairScore } from './pairs';
import { actorAggregate, rangeAggregate, snapshot } from './snapshot';
import { evictFront, noteDistinct, pushRing, TimedMap, touch, type Entry, type Member, type MemberRange } from './state';
import type { ActorAggregate, ClusterSnapshot, EngineStats, ObservedEdit, ObserveResult, RangeAggregate } from './types';

export interface ClusterEngine {
  readonly config: ClusterConfig;
  /** Feed one stored edit, in arrival order, right after masking and scoring. */
  observe(e: ObservedEdit): ObserveResult;
  /** Advance the engine's clock without an edit (closes idle clusters when the feed is quiet). */
  tick(nowMs: number): void;
  /** The current change mark: pass it to changedSince after the next batch. */
  mark(): number;
  /** Clusters created, changed, merged away or closed after `mark` (latest state of each). */
  changedSince(mark: number): ClusterSnapshot[];
  cluster(id: string): ClusterSnapshot | null;
  memberCluster(memberKey: string): string | null;
  actor(memberKey: string): ActorAggregate | null;
  /** `rangeKey`: a RangePseudonym key (/16, /24, /48, /64) */
  range(rangeKey: string): RangeAggregate | null;
  /** Open clusters by current heat (a scan of the open clusters: for UI reads, not per event). */
  hottest(n: number): ClusterSnapshot[];
  stats(): EngineStats;
}

export interface EngineOptions {
  /** cluster ids; default `c<seq>`. The ingester passes ids that stay unique across restarts. */
  newId?: (seq: number) => string;
}

const MEMBER_RING = 8;
/** run the eviction every this many events, or when edit time moved this far since the last one */
const EVICT_EVERY = 64;
const EVICT_MAX_GAP_MS = 10_000;
/** member ids wrap here (pair keys are lo·2^26 + hi); 67 M members never live within one window */
const MAX_MEMBER_ID = 67_108_864;
/** an index entry whose contribution to a pair would be below this is not worth a pair record */
const MIN_CONTRIBUTION = 0.05;

export function createClusterEngine(input: ClusterConfigInput = {}, opts: EngineOptions = {}): ClusterEngine {
  const c = resolveConfig(input);
  const newId = opts.newId ?? ((seq: number) => `c${seq}`);
  const members = new Map<string, Member>();
  const entries = new TimedMap<string, Entry>();
  const pairs = new PairStore(c);
  const active = new Map<string, Cluster>();
  const retired = new Map<string, Cluster>();
  let log: { c: Cluster; v: number }[] = [];
  let version = 0;
  let now = -Infinity;
  let sinceEvict = 0;
  let evictedAt = -Infinity;
  let nextMember = 1;
  let nextCluster = 1;
  let observed = 0;
  let clustered = 0;
  let refused = 0;

  const changed = (cl: Cluster) => {
    cl.version = ++version;
    log.push({ c: cl, v: cl.version });
    if (log.length > 2 * (active.size + retired.size) + 1024) {
      log = log.filter((x) => x.v === x.c.version && (active.has(x.c.id) || retired.has(x.c.id)));
    }
  };
  const retire = (cl: Cluster) => {
    active.delete(cl.id);
    retired.set(cl.id, cl);
    changed(cl);
  };
  const openCluster = (m: Member): Cluster | null => (m.cluster?.status === 'active' ? m.cluster : null);

  function evict(): void {
    sinceEvict = 0;
    evictedAt = now;
    pairs.evict(now);
    entries.evict(now, c.windowMs, c.maxEntries);
    evictFront(members, (m) => m.lastSeen < now - c.closeAfterMs, c.maxMembers);
    evictFront(active, (cl) => cl.lastSeen < now - c.closeAfterMs, Infinity, (_id, cl) => {
      cl.status = 'closed';
      cl.closedAt = cl.lastSeen + c.closeAfterMs;
      retire(cl);
    });
    evictFront(retired, (cl) => (cl.closedAt ?? now) < now - c.retainClosedMs, Infinity);
  }

  function entry(key: string, t: number, label: MemberRange | null = null): Entry {
    let e = entries.get(key);
    if (!e) {
      e = { last: t, queued: t, label, recent: new Map(), distinct: new Map(), times: [] };
      entries.add(key, e);
    } else if (t > e.last) e.last = t;
    return e;
  }

  function member(f: EditFeatures, t: number, score: number | undefined): Member {
    const key = f.memberKey as string;
    const m: Member = members.get(key) ?? {
      id: nextMember++ % MAX_MEMBER_ID, key, kind: f.kind as 'ip' | 'temp', display: f.display, firstSeen: t, lastSeen: t, edits: 0, scored: 0, suspicious: 0, heat: 0, heatAt: t,
      suspiciousAt: -Infinity, sig: null, ranges: [], ua: null, cluster: null, pages: new Map(), times: [],
    };
    m.lastSeen = Math.max(m.lastSeen, t);
    m.edits++;
    m.heat = decayed(m.heat, m.heatAt, Math.max(t, m.heatAt), c.heatHalfLifeMs) + editWeight(score);
    m.heatAt = Math.max(t, m.heatAt);
    if (score !== undefined) m.scored++;
    if (score !== undefined && score >= c.suspiciousScore) {
      m.suspiciousAt = t;
      m.suspicious++;
    }
    if (f.ranges.length) m.ranges = f.ranges;
    if (f.ua) m.ua = f.ua;
    const page = m.pages.get(f.pageKey) ?? { wiki: f.wiki, title: f.title, edits: 0 };
    page.edits++;
    touch(m.pages, f.pageKey, page);
    evictFront(m.pages, () => false, MEMBER_RING);
    pushRing(m.times, t, MEMBER_RING);
    touch(members, key, m);
    return m;
  }

  function link(p: Pair, s: PairScore, t: number): void {
    const ca = openCluster(p.a);
    const cb = openCluster(p.b);
    if (ca && ca === cb) return;
    const size = (ca?.members.size ?? 1) + (cb?.members.size ?? 1);
    const narrow = p.range >= c.weights.v4net24;
    if (size > c.hardMaxClusterSize || (size > c.maxClusterSize && !narrow && s.score < c.giantLinkScore)) {
      refused++;
      return;
    }
    let target: Cluster;
    if (ca && cb) {
      const [older, younger] = ca.seq < cb.seq ? [ca, cb] : [cb, ca];
      older.absorb(younger, t);
      retire(younger);
      target = older;
    } else if (ca || cb) {
      target = (ca ?? cb) as Cluster;
      target.join(ca ? p.b : p.a, t);
    } else {
      const seq = nextCluster++;
      target = new Cluster(newId(seq), seq, t, c);
      target.join(p.a, t);
      target.join(p.b, t);
    }
    for (const k of s.kinds) target.links[k]++;
    touch(active, target.id, target);
    changed(target);
  }

  function observe({ edit, score }: ObservedEdit): ObserveResult {
    const parsed = Date.parse(edit.timestamp);
    const t = Number.isFinite(parsed) ? parsed : now;
    if (t > now) now = t;
    // eviction keeps memory bounded; lookups filter by time themselves, so it need not run on every event
    if (++sinceEvict >= EVICT_EVERY || now - evictedAt >= EVICT_MAX_GAP_MS) evict();
    observed++;
    const f = editFeatures(edit);
    const from = t - c.windowMs;
    const page = entry(f.pageKey, t);
    const pageEditors = noteDistinct(page, f.editorKey, t, from, c.distinctCap);
    const bands = f.bands.map((k) => {
      const e = entry(k, t);
      noteDistinct(e, f.editorKey, t, from, c.distinctCap);
      return e;
    });
    if (!f.memberKey) return { memberKey: null, clusterId: null };
    clustered++;
    const m = member(f, t, score);
    const before = openCluster(m);
    if (before) {
      before.edit(m, f.pageKey, { wiki: f.wiki, title: f.title, edits: 1 }, t, score, m.suspiciousAt === t);
      touch(active, before.id, before);
      changed(before);
    }

    const touched = new Set<Pair>();
    /** pair evidence with every recent member of an entry; `apply` null: only remember m there */
    const visit = (e: Entry, apply: ((p: Pair, o: Member) => void) | null) => {
      if (apply) {
        for (const [o, ot] of e.recent) {
          if (o === m) continue;
          if (ot < from) {
            e.recent.delete(o);
            continue;
          }
          const p = pairs.get(m, o, t);
          apply(p, o);
          if (Math.abs(t - ot) <= c.burstMs) p.burst = true;
          if (m.suspiciousAt >= from && o.suspiciousAt >= from) p.suspicious = true;
          touched.add(p);
        }
      }
      touch(e.recent, m, t);
      evictFront(e.recent, () => false, c.fanoutCap);
    };

    for (const r of f.ranges) {
      const e = entry(r.key, t, r);
      noteDistinct(e, f.memberKey, t, from, c.distinctCap);
      pushRing(e.times, t, c.distinctCap);
      const w = c.weights[r.kind];
      visit(e, (p) => void (p.range = Math.max(p.range, w)));
    }
    const pageWeight = Math.min(1, c.pageFullEditors / pageEditors);
    visit(page, pageWeight * c.weights.page < MIN_CONTRIBUTION ? null : (p) => pairs.addPage(p, f.pageKey, pageWeight));
    if (f.sig) {
      // candidates from every band once, then one similarity estimate and one pair record per similar one
      const sig = f.sig;
      const cands = new Map<Member, number>();
      for (const e of bands) {
        const rarity = f.sigWeight * Math.min(1, c.summaryFullEditors / e.distinct.size);
        for (const [o, ot] of e.recent) if (o !== m && ot >= from && rarity > (cands.get(o) ?? 0)) cands.set(o, rarity);
        visit(e, null);
      }
      for (const [o, rarity] of cands) {
        if (rarity * c.weights.summary < MIN_CONTRIBUTION || !o.sig || similarity(sig, o.sig) < c.summaryMinSimilarity) continue;
        const p = pairs.get(m, o, t);
        p.summary = Math.max(p.summary, rarity);
        if (m.suspiciousAt >= from && o.suspiciousAt >= from) p.suspicious = true;
        touched.add(p);
      }
      m.sig = sig;
    }
    if (f.ua) {
      const e = entry(`u:${f.ua.key}`, t);
      const rarity = Math.min(1, c.uaFullEditors / noteDistinct(e, f.memberKey, t, from, c.distinctCap));
      visit(e, (p) => void (p.userAgent = Math.max(p.userAgent, rarity)));
    }

    for (const p of touched) {
      const ca = openCluster(p.a);
      if (ca && ca === openCluster(p.b)) continue;
      const s = pairs.score(p);
      if (pairs.passes(s)) link(p, s, t);
    }
    return { memberKey: m.key, clusterId: openCluster(m)?.id ?? null };
  }

  const find = (id: string) => active.get(id) ?? retired.get(id) ?? null;

  return {
    config: c,
    observe,
    tick(nowMs) {
      if (nowMs > now) now = nowMs;
      evict();
    },
    mark: () => version,
    changedSince(mark) {
      let lo = 0;
      let hi = log.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((log[mid] as { v: number }).v > mark) hi = mid;
        else lo = mid + 1;
      }
      const out: ClusterSnapshot[] = [];
      for (let i = lo; i < log.length; i++) {
        const x = log[i] as { c: Cluster; v: number };
        if (x.v === x.c.version && find(x.c.id) === x.c) out.push(snapshot(x.c, now, c));
      }
      return out;
    },
    cluster(id) {
      const cl = find(id);
      return cl ? snapshot(cl, now, c) : null;
    },
    memberCluster(key) {
      const m = members.get(key);
      return m ? (openCluster(m)?.id ?? null) : null;
    },
    actor(key) {
      const m = members.get(key);
      return m ? actorAggregate(m, now, c) : null;
    },
    range(key) {
      const e = entries.get(`r:${key}`);
      return e?.label ? rangeAggregate(e, e.label, now, c) : null;
    },
    hottest(n) {
      return [...active.values()]
        .sort((a, b) => b.heatAtTime(now) - a.heatAtTime(now))
        .slice(0, n)
        .map((cl) => snapshot(cl, now, c));
    },
    stats: () => ({
      members: members.size, entries: entries.size, pairs: pairs.size, activeClusters: active.size, retainedClusters: retired.size,
      changeLog: log.length, observed, clustered, refusedLinks: refused,
    }),
  };
}
