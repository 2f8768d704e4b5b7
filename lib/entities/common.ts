import { can, canOnAnyWiki, GLOBAL, wikisWith, type Actor } from '../auth/permissions';
import { bucket, type SizeBucket } from '../clustering/aggregates';
import { Prisma } from '../db/generated/client';
import { ForbiddenError } from '../errors';

/**
 * Pieces shared by the entity views (actor, range, cluster, overview): which wikis a viewer may read, counts
 * that are exact or bucketed by permission, links, and the SQL fragments the aggregate queries share.
 * Every aggregate runs over a bounded window (the newest WINDOW edits of the entity), so a page costs the same
 * for an actor with 10 edits and one with 100,000.
 */
export const WINDOW = 2000;
/** Counts of all edits stop here ("10,000+"), so counting never walks a huge range. */
export const COUNT_CAP = 10_000;

export type Wikis = typeof GLOBAL | string[];

/** Wikis the viewer may patrol; ForbiddenError when none. */
export function readableWikis(actor: Actor): Wikis {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  return wikisWith(actor, 'queue.view');
}

/** `TRUE` for every wiki, else `<col> = ANY(wikis)`. */
export function wikiClause(wikis: Wikis, column = Prisma.raw('wiki')): Prisma.Sql {
  return wikis === GLOBAL ? Prisma.sql`TRUE` : Prisma.sql`${column} = ANY(${wikis}::text[])`;
}

export function mayRead(wikis: Wikis, wiki: string): boolean {
  return wikis === GLOBAL || wikis.includes(wiki);
}

/** A count as the viewer may see it: exact, or only its bucket. */
export type Count = { exact: number; bucket?: undefined } | { exact?: undefined; bucket: SizeBucket };

export function count(n: number, exact: boolean): Count {
  return exact ? { exact: n } : { bucket: bucket(n) };
}

export function showCount(c: Count): string {
  return c.exact !== undefined ? c.exact.toLocaleString('en') : c.bucket;
}

/** Exact counts only when the viewer holds `range.exactCounts` on every wiki the counted edits come from. */
export function exactOn(actor: Actor, wikis: string[]): boolean {
  return wikis.every((w) => can(actor, 'range.exactCounts', w));
}

/** Actor pages: IP editors by pseudonym key, temporary and registered accounts by (URL-encoded) name. */
export const actorHref = (keyOrName: string) => `/actors/${encodeURIComponent(keyOrName)}`;
export const rangeHref = (key: string) => `/ranges/${key}`;
export const clusterHref = (id: string) => `/clusters/${id}`;

export const HEX_KEY = /^[0-9a-f]{64}$/;

/** One timeline bin: edits and their scores (epoch ms). */
export interface TimelinePoint {
  t: number;
  edits: number;
  avgScore: number | null;
  maxScore: number | null;
}
export interface Timeline {
  unit: 'hour' | 'day';
  points: TimelinePoint[];
}

/** A score histogram: ten bins of width 0.1 (edits without a score left out). */
export interface ScoreBin {
  from: number;
  edits: number;
}

/**
 * SQL select-list items over a CTE named `e` (columns ts, score, id): a timeline binned per hour, or per day
 * when the window spans more than three days, a score histogram, and the ids of the riskiest and newest edits.
 */
export const WINDOW_AGGREGATES = Prisma.sql`
  (SELECT count(*)::int FROM e) AS "windowEdits",
  (SELECT CASE WHEN max(ts) - min(ts) > interval '3 days' THEN 'day' ELSE 'hour' END FROM e) AS unit,
  (SELECT coalesce(json_agg(json_build_object('t', (extract(epoch FROM b) * 1000)::bigint, 'edits', n, 'avg', a, 'max', m) ORDER BY b), '[]')
     FROM (SELECT date_trunc((SELECT CASE WHEN max(ts) - min(ts) > interval '3 days' THEN 'day' ELSE 'hour' END FROM e), ts) AS b,
                  count(*)::int AS n, round(avg(score)::numeric, 3)::float8 AS a, round(max(score)::numeric, 3)::float8 AS m
             FROM e GROUP BY 1) tl) AS timeline,
  (SELECT coalesce(json_agg(json_build_object('bin', bin, 'n', n) ORDER BY bin), '[]')
     FROM (SELECT least(floor(score * 10), 9)::int AS bin, count(*)::int AS n FROM e WHERE score IS NOT NULL GROUP BY 1) h) AS histogram,
  (SELECT coalesce(array_agg(id ORDER BY score DESC), '{}') FROM (SELECT id, score FROM e WHERE score IS NOT NULL ORDER BY score DESC LIMIT 5) r) AS "riskyIds",
  (SELECT coalesce(array_agg(id ORDER BY ts DESC), '{}') FROM (SELECT id, ts FROM e ORDER BY ts DESC LIMIT 30) r) AS "recentIds",
  (SELECT min(ts) FROM e) AS "firstSeen",
  (SELECT max(ts) FROM e) AS "lastSeen"`;

export interface WindowRow {
  windowEdits: number;
  unit: string | null;
  timeline: unknown;
  histogram: unknown;
  riskyIds: bigint[];
  recentIds: bigint[];
  firstSeen: Date | null;
  lastSeen: Date | null;
}

export function json(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export function objects(v: unknown): Record<string, unknown>[] {
  const a = json(v);
  return Array.isArray(a) ? a.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : [];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toTimeline(w: WindowRow): Timeline {
  return {
    unit: w.unit === 'day' ? 'day' : 'hour',
    points: objects(w.timeline).map((p) => ({ t: Number(p.t), edits: Number(p.edits), avgScore: num(p.avg), maxScore: num(p.max) })),
  };
}

export function toHistogram(w: WindowRow): ScoreBin[] {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, edits: 0 }));
  for (const h of objects(w.histogram)) {
    const b = bins[Number(h.bin)];
    if (b) b.edits = Number(h.n);
  }
  return bins;
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
