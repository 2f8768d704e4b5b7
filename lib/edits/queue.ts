import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { wikiClause } from '../entities/common';
import { ForbiddenError } from '../errors';
import { DEFAULT_FILTERS, type QueueFilters } from './filters';
import { editRowSql, toEditRow, type EditRow, type StoredEdit } from './queries';

/**
 * The live queue's reads. Every function takes the actor and authorizes: rows come only from the wikis on
 * which the actor holds queue.view. Whitelisted (trusted) editors are per wiki, so a row's "whitelisted" flag
 * is computed against the entries of its wiki.
 *
 * Each read is ONE statement (the API's p95 target is 50 ms at a million edits): the edit row with its review,
 * the viewer's hide, the whitelist match and the evasion block's label joined in SQL, filters as SQL conditions
 * (the whitelist and hides as NOT EXISTS on their primary/unique indexes), newest first on the (ts, id) or
 * (wiki, ts, id) index.
 */
export const QUEUE_PAGE = 500;

type Wikis = '*' | string[];

function viewerId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

/** The whitelist's key of an edit's editor (lib/edits/queries.ts actorKeyOf, in SQL). */
const ACTOR_KEY = Prisma.sql`CASE WHEN e."actorKind" = 'ip' AND e."ipKey" IS NOT NULL THEN e."ipKey" ELSE e."actorName" END`;
const WHITELISTED = Prisma.sql`EXISTS (SELECT 1 FROM whitelist_entry w WHERE w.wiki = e.wiki AND w."actorKey" = ${ACTOR_KEY})`;
const hiddenBy = (userId: string) => Prisma.sql`EXISTS (SELECT 1 FROM edit_hide h WHERE h."userId" = ${userId}::uuid AND h."editId" = e.id)`;

/** ILIKE pattern for "contains", with the pattern characters of the text escaped. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterSql(f: QueueFilters, userId: string | null): Prisma.Sql[] {
  const and: Prisma.Sql[] = [];
  if (f.wiki) and.push(Prisma.sql`e.wiki = ${f.wiki}`);
  if (f.namespace !== undefined) and.push(Prisma.sql`e.namespace = ${f.namespace}`);
  if (f.minScore !== undefined) and.push(Prisma.sql`e.score >= ${f.minScore}`);
  if (f.anonOnly) and.push(Prisma.sql`e."actorKind" IN ('ip', 'temp')`);
  if (f.unreviewedOnly) and.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM edit_review r2 WHERE r2."editId" = e.id)`);
  if (f.clusteredOnly) and.push(Prisma.sql`e."clusterId" IS NOT NULL`);
  if (f.evasionOnly) and.push(Prisma.sql`e."evasionBlockId" IS NOT NULL`);
  // IP context (step 9): each has a partial index ordered like the queue (edit_hosting_ts_id_idx, netCountry+ts+id)
  if (f.hostingOnly) and.push(Prisma.sql`e."netType" = 'hosting'`);
  if (f.country) and.push(Prisma.sql`e."netCountry" = ${f.country}`);
  if (!f.showTrusted) and.push(Prisma.sql`NOT ${WHITELISTED}`);
  if (userId) and.push(f.showHidden ? hiddenBy(userId) : Prisma.sql`NOT ${hiddenBy(userId)}`);
  else if (f.showHidden) and.push(Prisma.sql`FALSE`);
  if (f.q) {
    const p = containsPattern(f.q);
    and.push(Prisma.sql`(e.title ILIKE ${p} OR e."actorName" ILIKE ${p})`);
  }
  return and;
}

/** the columns a queue row shows (not e.*: see EDIT_ROW_COLUMNS) */
const EDIT_COLUMNS = Prisma.raw(editRowSql('e'));

type QueueRow = StoredEdit & { reviewerName: string | null; reviewedAt: Date | null; hidden: boolean; whitelisted: boolean; blockLabel: string | null };

/** The queue's rows for `where`, newest first (`byId`: by id only, what a stream catching up reads), decorated. */
async function selectRows(actor: Actor, where: Prisma.Sql[], limit: number, byId = false): Promise<{ rows: EditRow[]; found: number }> {
  const userId = viewerId(actor);
  const rows = await db().$queryRaw<QueueRow[]>`
    SELECT ${EDIT_COLUMNS}, r."reviewerName", r."reviewedAt", b."targetLabel" AS "blockLabel",
           ${userId ? hiddenBy(userId) : Prisma.sql`FALSE`} AS hidden, ${WHITELISTED} AS whitelisted
      FROM edit e
      LEFT JOIN edit_review r ON r."editId" = e.id
      LEFT JOIN block b ON b.id = e."evasionBlockId"
     WHERE ${Prisma.join(where.length ? where : [Prisma.sql`TRUE`], ' AND ')}
     ORDER BY ${byId ? Prisma.sql`e.id DESC` : Prisma.sql`e.ts DESC, e.id DESC`}
     LIMIT ${limit}`;
  return {
    found: rows.length,
    rows: rows.map((r) => {
      const review = r.reviewerName && r.reviewedAt ? { reviewerName: r.reviewerName, reviewedAt: r.reviewedAt } : null;
      const blockLabels = r.evasionBlockId && r.blockLabel ? new Map([[r.evasionBlockId, r.blockLabel]]) : undefined;
      return toEditRow({ ...r, review }, { whitelisted: r.whitelisted, hidden: r.hidden, blockLabels });
    }),
  };
}

function authorizedWikis(actor: Actor, wiki?: string): Wikis {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  const wikis = wikisWith(actor, 'queue.view');
  if (wiki && wikis !== '*' && !wikis.includes(wiki)) throw new ForbiddenError();
  return wikis;
}

const scope = (wikis: Wikis) => wikiClause(wikis, Prisma.raw('e.wiki'));

/** The queue's first page for the given filters, newest first (what the server renders). */
export async function queueEdits(actor: Actor, filters: QueueFilters = DEFAULT_FILTERS, opts: { limit?: number } = {}): Promise<EditRow[]> {
  const wikis = authorizedWikis(actor, filters.wiki);
  const limit = Math.max(1, Math.min(opts.limit ?? QUEUE_PAGE, QUEUE_PAGE));
  return (await selectRows(actor, [scope(wikis), ...filterSql(filters, viewerId(actor))], limit)).rows;
}

/**
 * Edits by id (a stored batch announced on the bus), limited to the actor's wikis; unfiltered otherwise (the
 * browser applies its filters, lib/edits/filters.ts). Ids that are not the actor's to see are left out silently.
 */
export async function editsByIds(actor: Actor, ids: readonly string[]): Promise<EditRow[]> {
  const wikis = authorizedWikis(actor);
  const valid = ids.filter((i) => /^\d{1,19}$/.test(i)).slice(0, 5000);
  if (!valid.length) return [];
  return (await selectRows(actor, [scope(wikis), Prisma.sql`e.id = ANY(${valid}::bigint[])`], valid.length)).rows;
}

/**
 * The newest edits after `afterId` (a reconnecting stream's Last-Event-ID) the actor may see, at most one page;
 * `gap` is true when there were more (the caller cannot catch up row by row and should reload the first page).
 */
export async function editsAfter(actor: Actor, afterId: string, limit = QUEUE_PAGE): Promise<{ rows: EditRow[]; gap: boolean }> {
  const wikis = authorizedWikis(actor);
  if (!/^\d{1,19}$/.test(afterId)) return { rows: [], gap: false };
  const take = Math.min(limit, QUEUE_PAGE);
  const { rows, found } = await selectRows(actor, [scope(wikis), Prisma.sql`e.id > ${afterId}::bigint`], take + 1, true);
  return { rows: rows.slice(0, take), gap: found > take };
}

/** Wikis offered in the queue's wiki filter: those with edits in the last day that the actor may patrol. */
export async function queueWikis(actor: Actor): Promise<string[]> {
  const wikis = authorizedWikis(actor);
  if (wikis !== '*') return [...wikis].sort();
  const since = new Date(Date.now() - 24 * 3600_000);
  // the distinct wikis by a loose index scan of (wiki, ts, …): one probe per wiki instead of reading the day's rows
  const rows = await db().$queryRaw<{ wiki: string }[]>`
    WITH RECURSIVE w AS (
      SELECT min(wiki) AS wiki FROM edit
      UNION ALL
      SELECT (SELECT min(e.wiki) FROM edit e WHERE e.wiki > w.wiki) FROM w WHERE w.wiki IS NOT NULL
    )
    SELECT wiki FROM w
     WHERE wiki IS NOT NULL AND EXISTS (SELECT 1 FROM edit e WHERE e.wiki = w.wiki AND e.ts >= ${since})
     ORDER BY wiki`;
  return rows.map((r) => r.wiki);
}

/** The highest stored edit id (where a freshly rendered queue's live stream starts), as a string. */
export async function queueCursor(actor: Actor): Promise<string> {
  authorizedWikis(actor);
  // raw: Prisma's aggregate wraps the table in a subquery that hides max(id) from the primary key, so it read
  // every row (180 ms at a million edits); this is one index probe
  const [r] = await db().$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM edit`;
  return (r?.max ?? 0n).toString();
}
