import type { Actor } from '../auth/permissions';
import { clusterLabel } from '../clusters/queries';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { EDIT_ROW_SELECT, rangeDisplay, toEditRow, type EditRow } from '../edits/queries';
import {
  COUNT_CAP,
  HEX_KEY,
  iso,
  json,
  objects,
  readableWikis,
  toHistogram,
  toTimeline,
  wikiClause,
  WINDOW,
  WINDOW_AGGREGATES,
  type ScoreBin,
  type Timeline,
  type WindowRow,
} from '../entities/common';
import { ForbiddenError } from '../errors';
import { NET_AGGREGATES, NET_COLUMNS, toNetSummary, type NetSummary } from '../context/summary';
import { RANGE_LENGTHS, type RangeRef } from '../ranges/lengths';

/** What a patroller sees of one actor: pseudonyms, masked text, counts and scores; never an address. */
export interface ActorView {
  kind: 'ip' | 'temp' | 'user';
  /** the pseudonym key (IP editors) or the account name: what /actors/[key] takes */
  key: string;
  /** IP-XXXX-XXXX, or the account name */
  display: string;
  /** the pseudonym epoch of the newest edit (pseudonyms do not link across epochs) */
  epoch: string;
  epochs: string[];
  wikis: string[];
  /** all edits on readable wikis, capped at COUNT_CAP (then `editCountCapped`) */
  editCount: number;
  editCountCapped: boolean;
  /** aggregates below cover the newest `windowEdits` edits */
  windowEdits: number;
  firstSeen: string | null;
  lastSeen: string | null;
  timeline: Timeline;
  scores: ScoreBin[];
  risky: EditRow[];
  recent: EditRow[];
  pages: { wiki: string; title: string; edits: number }[];
  clusters: { id: string; label: string; status: string; memberCount: number; lastSeen: string; reasons: string[] }[];
  ranges: RangeRef[];
  /** temporary accounts seen with the same IP pseudonym (when a trusted producer sent IPs) */
  relatedTemp: { name: string; edits: number }[];
  /** IP context of the actor's edits (its /24 or /64's network, registration country, type; step 9) */
  net: NetSummary;
}

interface ActorAgg extends WindowRow {
  epochs: string[];
  wikis: string[];
  pages: unknown;
  clusterIds: string[];
  ranges: unknown;
  head: unknown;
  total: number;
  related: unknown;
  net: unknown;
}

/** Related temporary accounts are looked for among the newest edits from the actor's addresses (bounded work). */
const RELATED_SCAN = 2000;

/** How an actor's edits are found: an IP editor by its pseudonym key, an account by its name. */
function selector(key: string): { kind: 'ip' | 'named'; where: Prisma.Sql }[] {
  const named = { kind: 'named' as const, where: Prisma.sql`"actorName" = ${key} AND "actorKind" <> 'ip'` };
  return HEX_KEY.test(key) ? [{ kind: 'ip', where: Prisma.sql`"ipKey" = ${key} AND "actorKind" = 'ip'` }, named] : [named];
}

/**
 * One actor's page: null when no edit of it is stored; ForbiddenError when its edits are all on wikis the
 * viewer may not patrol. Aggregates run over the newest WINDOW edits in one statement.
 */
export async function actorView(actor: Actor, key: string, now = Date.now()): Promise<ActorView | null> {
  const wikis = readableWikis(actor);
  const rangeCols = RANGE_LENGTHS.map((r) => Prisma.raw(`"${r.column}"`));
  for (const sel of selector(key)) {
    const [agg] = await db().$queryRaw<ActorAgg[]>`
      WITH e AS MATERIALIZED (
        SELECT id, ts, score, wiki, title, epoch, "clusterId", "ipKey", "actorKind", "actorName", ${Prisma.join(rangeCols)}, ${NET_COLUMNS}
          FROM edit WHERE ${sel.where} AND ${wikiClause(wikis)} ORDER BY ts DESC LIMIT ${WINDOW}),
      head AS (SELECT "actorKind" AS kind, "actorName" AS display, epoch FROM e ORDER BY ts DESC LIMIT 1),
      rel AS (SELECT "actorName" AS name, count(*)::int AS edits FROM (
                SELECT "actorName" FROM edit
                 WHERE "ipKey" IN (SELECT DISTINCT "ipKey" FROM e WHERE "ipKey" IS NOT NULL LIMIT 20) AND "actorKind" = 'temp'
                   AND ${wikiClause(wikis)} AND ts > ${new Date(now - 90 * 86_400_000)}
                 ORDER BY ts DESC LIMIT ${RELATED_SCAN}) x
               WHERE "actorName" <> (SELECT display FROM head) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20)
      SELECT ${WINDOW_AGGREGATES}, ${NET_AGGREGATES},
        (SELECT row_to_json(head) FROM head) AS head,
        (SELECT count(*)::int FROM (SELECT 1 FROM edit WHERE ${sel.where} AND ${wikiClause(wikis)} LIMIT ${COUNT_CAP + 1}) c) AS total,
        (SELECT coalesce(json_agg(rel), '[]') FROM rel) AS related,
        (SELECT coalesce(array_agg(DISTINCT epoch), '{}') FROM e) AS epochs,
        (SELECT coalesce(array_agg(DISTINCT wiki), '{}') FROM e) AS wikis,
        (SELECT coalesce(json_agg(json_build_object('wiki', wiki, 'title', title, 'edits', n) ORDER BY n DESC, title), '[]')
           FROM (SELECT wiki, title, count(*)::int AS n FROM e GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 20) p) AS pages,
        (SELECT coalesce(array_agg(c), '{}') FROM (SELECT "clusterId" AS c FROM e WHERE "clusterId" IS NOT NULL
           GROUP BY 1 ORDER BY max(ts) DESC LIMIT 20) c) AS "clusterIds",
        (SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${Prisma.join(rangeCols)}, count(*)::int AS n FROM e
           GROUP BY ${Prisma.join(rangeCols)} ORDER BY n DESC LIMIT 10) r) AS ranges`;
    if (!agg || agg.windowEdits === 0) {
      const [elsewhere] = await db().$queryRaw<unknown[]>`SELECT 1 FROM edit WHERE ${sel.where} LIMIT 1`;
      if (elsewhere) throw new ForbiddenError('This actor has edits only on wikis you do not patrol.');
      continue;
    }
    const head = json(agg.head) as { kind: string; display: string; epoch: string };
    const ids = [...agg.riskyIds, ...agg.recentIds];
    const [rows, clusters] = await Promise.all([
      ids.length ? db().edit.findMany({ where: { id: { in: ids } }, select: EDIT_ROW_SELECT }) : [],
      agg.clusterIds.length ? db().cluster.findMany({ where: { id: { in: agg.clusterIds } } }) : [],
    ]);
    const byId = new Map(rows.map((r) => [r.id.toString(), toEditRow(r)]));
    const pick = (xs: bigint[]) => xs.flatMap((id) => byId.get(id.toString()) ?? []);
    return {
      kind: head.kind === 'ip' ? 'ip' : head.kind === 'temp' ? 'temp' : 'user',
      key: sel.kind === 'ip' ? key : head.display,
      display: head.display,
      epoch: head.epoch,
      epochs: agg.epochs,
      wikis: agg.wikis,
      editCount: Math.min(agg.total, COUNT_CAP),
      editCountCapped: agg.total > COUNT_CAP,
      windowEdits: agg.windowEdits,
      firstSeen: iso(agg.firstSeen),
      lastSeen: iso(agg.lastSeen),
      timeline: toTimeline(agg),
      scores: toHistogram(agg),
      risky: pick(agg.riskyIds),
      recent: pick(agg.recentIds),
      pages: objects(agg.pages).map((p) => ({ wiki: String(p.wiki), title: String(p.title), edits: Number(p.edits) })),
      clusters: agg.clusterIds.flatMap((id) => {
        const c = clusters.find((x) => x.id === id);
        if (!c) return [];
        const reasons = Array.isArray(c.reasons) ? c.reasons.filter((r): r is string => typeof r === 'string') : [];
        return [{ id: c.id, label: clusterLabel(c.id), status: c.status, memberCount: c.memberCount, lastSeen: c.lastSeen.toISOString(), reasons }];
      }),
      ranges: rangeRefs(objects(agg.ranges)),
      relatedTemp: objects(agg.related).map((r) => ({ name: String(r.name), edits: Number(r.edits) })),
      net: toNetSummary(agg.net),
    };
  }
  return null;
}

/** The distinct range pseudonyms of an actor's edits, widest last, each once. */
function rangeRefs(rows: Record<string, unknown>[]): RangeRef[] {
  const seen = new Map<string, RangeRef>();
  for (const row of rows)
    for (const r of RANGE_LENGTHS) {
      const k = row[r.column];
      if (typeof k !== 'string') continue;
      const had = seen.get(k);
      if (had) had.edits += Number(row.n ?? 0);
      else seen.set(k, { key: k, prefix: r.prefix, family: r.family, display: rangeDisplay(r.family, r.prefix, k), edits: Number(row.n ?? 0) });
    }
  return [...seen.values()];
}
