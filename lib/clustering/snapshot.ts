import { bucket } from './aggregates';
import { Cluster, decayed } from './clusters';
import type { ClusterConfig } from './config';
import { reasons } from './reasons';
import { countSince, type Entry, type Member, type MemberRange } from './state';
import type { ActorAggregate, ClusterSnapshot, RangeAggregate } from './types';

const iso = (t: number) => new Date(t).toISOString();
const round = (x: number) => Math.round(x * 100) / 100;

/** A cluster as the ingester persists it and the UI shows it (work proportional to the cluster's size). */
export function snapshot(cl: Cluster, now: number, c: ClusterConfig): ClusterSnapshot {
  const members = [...cl.members]
    .map((m) => ({ key: m.key, kind: m.kind, display: m.display, edits: m.edits }))
    .sort((a, b) => b.edits - a.edits || a.display.localeCompare(b.display));
  const pages = [...cl.pages.values()]
    .sort((a, b) => b.edits - a.edits || b.members.size - a.members.size)
    .slice(0, 10)
    .map((p) => ({ wiki: p.wiki, title: p.title, edits: p.edits, members: p.members.size }));
  const series = [...cl.bins.entries()].sort((a, b) => a[0] - b[0]).map(([t, edits]) => ({ t: iso(t), edits }));
  const at = cl.closedAt ?? now;
  return {
    id: cl.id,
    status: cl.status,
    mergedInto: cl.mergedInto,
    absorbed: [...cl.absorbed],
    wikis: [...cl.wikis].sort(),
    members,
    memberCount: members.length,
    memberBucket: bucket(members.length),
    editCount: cl.editCount,
    pages,
    pageCount: cl.pages.size,
    firstSeen: iso(cl.firstSeen),
    lastSeen: iso(cl.lastSeen),
    closedAt: cl.closedAt === null ? null : iso(cl.closedAt),
    heat: round(cl.heatAtTime(at)),
    peakHeat: round(cl.peakHeat),
    reasons: cl.status === 'merged' ? [`merged into ${cl.mergedInto}`] : reasons(cl, c),
    links: { ...cl.links },
    series,
  };
}

export function actorAggregate(m: Member, now: number, c: ClusterConfig): ActorAggregate {
  return {
    key: m.key,
    kind: m.kind,
    display: m.display,
    edits: m.edits,
    firstSeen: iso(m.firstSeen),
    lastSeen: iso(m.lastSeen),
    heat: round(decayed(m.heat, m.heatAt, now, c.heatHalfLifeMs)),
    clusterId: m.cluster?.status === 'active' ? m.cluster.id : null,
  };
}

export function rangeAggregate(e: Entry, label: MemberRange, now: number, c: ClusterConfig): RangeAggregate {
  const from = now - c.windowMs;
  let actors = 0;
  for (const t of e.distinct.values()) if (t >= from) actors++;
  const edits = countSince(e.times, from);
  const clusterIds = new Set<string>();
  for (const [m, t] of e.recent) if (t >= from && m.cluster?.status === 'active') clusterIds.add(m.cluster.id);
  return {
    key: label.key.slice(2),
    display: label.display,
    prefix: label.prefix,
    actors,
    actorBucket: bucket(actors),
    edits,
    editBucket: bucket(edits),
    clusterIds: [...clusterIds],
  };
}
