import type { Actor } from '../auth/permissions';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { EDIT_ROW_SELECT, rangeDisplay, toEditRow, type EditRow } from '../edits/queries';
import {
  count,
  COUNT_CAP,
  exactOn,
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
  type Count,
  type ScoreBin,
  type Timeline,
  type WindowRow,
} from '../entities/common';
import { ForbiddenError } from '../errors';
import { NET_AGGREGATES, NET_COLUMNS, toNetSummary, type NetSummary } from '../context/summary';
import { RANGE_LENGTHS, storedLength, type RangeRef, type StoredLength } from './lengths';

/**
 * What a patroller sees of one range pseudonym: its label and prefix length, the wider stored ranges that
 * contain it (as pseudonyms), activity, the actors in it and their edits. Actor counts are exact only for
 * viewers holding `range.exactCounts` on every wiki counted; everyone else gets buckets (0 / 1–2 / 3–5 /
 * 6–10 / 11+). Never the network.
 */
export interface RangeView {
  key: string;
  family: 4 | 6;
  prefix: number;
  display: string;
  /** the stored wider ranges containing this one, widest first */
  wider: RangeRef[];
  wikis: string[];
  exactCounts: boolean;
  editCount: number;
  editCountCapped: boolean;
  windowEdits: number;
  /** distinct actors among the window's edits */
  actorCount: Count;
  actors: { kind: string; display: string; href: string; edits: Count; lastSeen: string }[];
  firstSeen: string | null;
  lastSeen: string | null;
  timeline: Timeline;
  scores: ScoreBin[];
  recent: EditRow[];
  /** IP context of the window's edits: networks, countries, types (never finer than a country; step 9) */
  net: NetSummary;
}

interface RangeAgg extends WindowRow {
  head: unknown;
  total: number;
  wikis: string[];
  actorCount: number;
  actors: unknown;
  net: unknown;
}

const col = (c: StoredLength['column']) => Prisma.raw(`"${c}"`);

/** Which stored length a range key belongs to (keys are domain-separated per length, so at most one). */
async function findLength(key: string): Promise<StoredLength | null> {
  const probes = RANGE_LENGTHS.map((r) => Prisma.sql`(SELECT ${r.column}::text AS c FROM edit WHERE ${col(r.column)} = ${key} LIMIT 1)`);
  const [hit] = await db().$queryRaw<{ c: StoredLength['column'] }[]>`${Prisma.join(probes, ' UNION ALL ')} LIMIT 1`;
  return hit ? storedLength(hit.c) : null;
}

/** A range's page: null for an unknown key; ForbiddenError when its edits are all on wikis the viewer may not patrol. */
export async function rangeView(actor: Actor, key: string): Promise<RangeView | null> {
  const wikis = readableWikis(actor);
  if (!HEX_KEY.test(key)) return null;
  const len = await findLength(key);
  if (!len) return null;
  const where = Prisma.sql`${col(len.column)} = ${key} AND ${wikiClause(wikis)}`;
  const identity = Prisma.sql`CASE WHEN "actorKind" = 'ip' THEN "ipKey" ELSE "actorName" END`;
  const [agg] = await db().$queryRaw<RangeAgg[]>`
    WITH e AS MATERIALIZED (
      SELECT id, ts, score, wiki, "actorKind", "actorName", ${identity} AS ident, ${Prisma.join(RANGE_LENGTHS.map((r) => col(r.column)))},
             ${NET_COLUMNS}
        FROM edit WHERE ${where} ORDER BY ts DESC LIMIT ${WINDOW})
    , g AS MATERIALIZED (SELECT "actorKind" AS kind, ident, max("actorName") AS display, count(*)::int AS n, max(ts) AS last
                           FROM e GROUP BY "actorKind", ident)
    SELECT ${WINDOW_AGGREGATES}, ${NET_AGGREGATES},
      (SELECT coalesce(array_agg(DISTINCT wiki), '{}') FROM e) AS wikis,
      (SELECT count(*)::int FROM g) AS "actorCount",
      (SELECT row_to_json(h) FROM (SELECT ${Prisma.join(RANGE_LENGTHS.map((r) => col(r.column)))} FROM e ORDER BY ts DESC LIMIT 1) h) AS head,
      (SELECT count(*)::int FROM (SELECT 1 FROM edit WHERE ${where} LIMIT ${COUNT_CAP + 1}) c) AS total,
      (SELECT coalesce(json_agg(a ORDER BY a.n DESC, a.last DESC), '[]') FROM (SELECT * FROM g ORDER BY n DESC, last DESC LIMIT 50) a) AS actors`;
  if (!agg || agg.windowEdits === 0) throw new ForbiddenError('This range has edits only on wikis you do not patrol.');
  const head = (json(agg.head) ?? {}) as Record<string, string | null>;
  const rows = agg.recentIds.length ? await db().edit.findMany({ where: { id: { in: agg.recentIds } }, orderBy: { ts: 'desc' }, select: EDIT_ROW_SELECT }) : [];
  const exact = exactOn(actor, agg.wikis);
  return {
    key,
    family: len.family,
    prefix: len.prefix,
    display: rangeDisplay(len.family, len.prefix, key),
    wider: len.wider.flatMap((c) => {
      const k = head[c];
      const w = storedLength(c);
      return k ? [{ key: k, family: w.family, prefix: w.prefix, display: rangeDisplay(w.family, w.prefix, k), edits: 0 }] : [];
    }),
    wikis: agg.wikis,
    exactCounts: exact,
    editCount: Math.min(agg.total, COUNT_CAP),
    editCountCapped: agg.total > COUNT_CAP,
    windowEdits: agg.windowEdits,
    actorCount: count(agg.actorCount, exact),
    actors: objects(agg.actors).map((a) => ({
      kind: String(a.kind),
      display: String(a.display),
      href: `/actors/${encodeURIComponent(String(a.ident))}`,
      edits: count(Number(a.n), exact),
      lastSeen: new Date(String(a.last)).toISOString(),
    })),
    firstSeen: iso(agg.firstSeen),
    lastSeen: iso(agg.lastSeen),
    timeline: toTimeline(agg),
    scores: toHistogram(agg),
    recent: rows.map((r) => toEditRow(r)),
    net: toNetSummary(agg.net),
  };
}
