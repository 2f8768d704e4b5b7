import type { Actor } from '../auth/permissions';
import { db } from '../db/client';
import type { Cluster } from '../db/generated/client';
import { EDIT_ROW_SELECT, toEditRow, type EditRow } from '../edits/queries';
import { actorHref, objects, readableWikis, wikiClause, WINDOW } from '../entities/common';
import { ForbiddenError } from '../errors';
import { NET_AGGREGATES, NET_COLUMNS, toNetSummary, type NetSummary } from '../context/summary';
import { clusterLabel } from './queries';

/** One cluster as its page and GET /api/clusters/[id] show it: pseudonyms, masked titles, counts, reasons. */
export interface ClusterDetail {
  id: string;
  label: string;
  status: string;
  wikis: string[];
  memberCount: number;
  editCount: number;
  heat: number;
  peakHeat: number;
  firstSeen: string;
  lastSeen: string;
  closedAt: string | null;
  reasons: string[];
  members: { kind: string; display: string; href: string; edits: number }[];
  pages: { wiki: string; title: string; edits: number; members: number }[];
  /** edits per bin of the engine's series (epoch ms) */
  series: { t: number; edits: number }[];
  /** how many member links each kind of evidence took part in */
  links: Record<string, number>;
  /** ids of clusters merged into this one */
  absorbed: { id: string; label: string }[];
  /** the members' newest edits while in this cluster (or one it absorbed), with their scores */
  edits: EditRow[];
  /** distinct actors among the cluster's newest WINDOW edits on readable wikis, and their IP context (step 9) */
  actorsSeen: number;
  net: NetSummary;
}

export type ClusterLookup = { kind: 'cluster'; cluster: ClusterDetail } | { kind: 'merged'; into: string } | null;

/** cluster ids are UUIDs from the ingester (tests may use shorter ids); anything else is unknown */
const UUID = /^[0-9A-Za-z-]{1,64}$/;

/**
 * A cluster by id: null when unknown; `merged` with the absorbing cluster's id (followed to the end of the
 * chain) when it was merged; ForbiddenError when none of its wikis is one the viewer patrols.
 */
export async function clusterView(actor: Actor, id: string): Promise<ClusterLookup> {
  const wikis = readableWikis(actor);
  if (!UUID.test(id)) return null;
  const first = await db().cluster.findUnique({ where: { id } });
  if (!first) return null;
  let row: Cluster = first;
  for (let hops = 0; row.status === 'merged' && row.mergedInto && hops < 20; hops++) {
    const next: Cluster | null = await db().cluster.findUnique({ where: { id: row.mergedInto } });
    if (!next) break;
    row = next;
  }
  if (wikis !== '*' && !row.wikis.some((w) => wikis.includes(w))) throw new ForbiddenError('This cluster is on wikis you do not patrol.');
  if (row.id !== id) return { kind: 'merged', into: row.id };
  const detail = (row.detail ?? {}) as Record<string, unknown>;
  const absorbed = Array.isArray(detail.absorbed) ? detail.absorbed.filter((x): x is string => typeof x === 'string' && UUID.test(x)) : [];
  const ids = [row.id, ...absorbed];
  const [agg] = await db().$queryRaw<{ ids: bigint[]; actors: number; net: unknown }[]>`
    WITH e AS MATERIALIZED (
      SELECT id, ts, CASE WHEN "actorKind" = 'ip' THEN "ipKey" ELSE "actorName" END AS ident, ${NET_COLUMNS}
        FROM edit WHERE "clusterId" = ANY(${ids}::text[]) AND ${wikiClause(wikis)} ORDER BY ts DESC LIMIT ${WINDOW})
    SELECT (SELECT coalesce(array_agg(id ORDER BY ts DESC), '{}') FROM (SELECT id, ts FROM e ORDER BY ts DESC LIMIT 100) r) AS ids,
      (SELECT count(DISTINCT ident)::int FROM e) AS actors, ${NET_AGGREGATES}`;
  const editIds = (agg?.ids ?? []).map((id) => ({ id }));
  const edits = editIds.length
    ? await db().edit.findMany({ where: { id: { in: editIds.map((e) => e.id) } }, orderBy: { ts: 'desc' }, select: EDIT_ROW_SELECT })
    : [];
  const links = detail.links && typeof detail.links === 'object' ? (detail.links as Record<string, unknown>) : {};
  return {
    kind: 'cluster',
    cluster: {
      id: row.id,
      label: clusterLabel(row.id),
      status: row.status,
      wikis: row.wikis,
      memberCount: row.memberCount,
      editCount: row.editCount,
      heat: row.heat,
      peakHeat: row.peakHeat,
      firstSeen: row.firstSeen.toISOString(),
      lastSeen: row.lastSeen.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      reasons: Array.isArray(row.reasons) ? row.reasons.filter((x): x is string => typeof x === 'string') : [],
      members: objects(detail.members).flatMap((m) => {
        if (typeof m.display !== 'string' || typeof m.key !== 'string') return [];
        // member keys are "ip:<pseudonym key>" or "temp:<account name>"
        const ref = m.key.replace(/^(ip|temp):/, '');
        return [{ kind: String(m.kind ?? ''), display: m.display, href: actorHref(ref), edits: Number(m.edits ?? 0) }];
      }),
      pages: objects(detail.pages).map((p) => ({
        wiki: String(p.wiki ?? ''),
        title: String(p.title ?? ''),
        edits: Number(p.edits ?? 0),
        members: Number(p.members ?? 0),
      })),
      series: objects(detail.series).flatMap((s) => {
        const t = Date.parse(String(s.t));
        return Number.isFinite(t) ? [{ t, edits: Number(s.edits ?? 0) }] : [];
      }),
      links: Object.fromEntries(Object.entries(links).map(([k, v]) => [k, Number(v) || 0])),
      absorbed: absorbed.map((a) => ({ id: a, label: clusterLabel(a) })),
      edits: edits.map((r) => toEditRow(r)),
      actorsSeen: agg?.actors ?? 0,
      net: toNetSummary(agg?.net),
    },
  };
}
