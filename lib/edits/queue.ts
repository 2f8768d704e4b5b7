import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { ForbiddenError } from '../errors';
import { DEFAULT_FILTERS, type QueueFilters } from './filters';
import { actorKeyOf, toEditRow, type EditRow, type StoredEdit } from './queries';

/**
 * The live queue's reads. Every function takes the actor and authorizes: rows come only from the wikis on
 * which the actor holds queue.view. Whitelisted (trusted) editors are per wiki, so a row's "whitelisted" flag
 * is computed against the entries of its wiki.
 */
export const QUEUE_PAGE = 500;
/** whitelist entries considered per query (a wiki's trusted list is small; beyond this the oldest are ignored) */
const WHITELIST_CAP = 5000;

type Wikis = '*' | string[];

function viewerId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

function scopeWhere(wikis: Wikis): Prisma.EditWhereInput {
  return wikis === '*' ? {} : { wiki: { in: wikis } };
}

async function whitelistFor(wikis: Wikis, wiki?: string): Promise<{ wiki: string; actorKey: string }[]> {
  return db().whitelistEntry.findMany({
    where: wiki ? { wiki } : wikis === '*' ? {} : { wiki: { in: wikis } },
    select: { wiki: true, actorKey: true },
    orderBy: { createdAt: 'desc' },
    take: WHITELIST_CAP,
  });
}

/** The Prisma condition "this edit's editor is on its wiki's whitelist". */
function whitelistedWhere(entries: { wiki: string; actorKey: string }[]): Prisma.EditWhereInput {
  return {
    OR: entries.flatMap((e) => [
      { wiki: e.wiki, actorKind: 'ip', ipKey: e.actorKey },
      { wiki: e.wiki, actorKind: { not: 'ip' }, actorName: e.actorKey },
    ]),
  };
}

function filterWhere(f: QueueFilters, userId: string | null, trusted: { wiki: string; actorKey: string }[]): Prisma.EditWhereInput[] {
  const and: Prisma.EditWhereInput[] = [];
  if (f.wiki) and.push({ wiki: f.wiki });
  if (f.namespace !== undefined) and.push({ namespace: f.namespace });
  if (f.minScore !== undefined) and.push({ score: { gte: f.minScore } });
  if (f.anonOnly) and.push({ actorKind: { in: ['ip', 'temp'] } });
  if (f.unreviewedOnly) and.push({ review: { is: null } });
  if (f.clusteredOnly) and.push({ clusterId: { not: null } });
  if (f.evasionOnly) and.push({ evasionBlockId: { not: null } });
  if (!f.showTrusted && trusted.length) and.push({ NOT: whitelistedWhere(trusted) });
  if (userId) and.push(f.showHidden ? { hides: { some: { userId } } } : { hides: { none: { userId } } });
  else if (f.showHidden) and.push({ id: { lt: 0 } });
  if (f.q)
    and.push({ OR: [{ title: { contains: f.q, mode: 'insensitive' } }, { actorName: { contains: f.q, mode: 'insensitive' } }] });
  return and;
}

async function decorate(actor: Actor, rows: StoredEdit[], trusted: { wiki: string; actorKey: string }[]): Promise<EditRow[]> {
  const set = new Set(trusted.map((e) => `${e.wiki}\u0000${e.actorKey}`));
  const userId = viewerId(actor);
  const hidden = userId && rows.length
    ? new Set((await db().editHide.findMany({ where: { userId, editId: { in: rows.map((r) => r.id) } }, select: { editId: true } })).map((h) => h.editId.toString()))
    : new Set<string>();
  const blockIds = [...new Set(rows.flatMap((r) => (r.evasionBlockId ? [r.evasionBlockId] : [])))];
  const blockLabels = new Map(
    blockIds.length ? (await db().block.findMany({ where: { id: { in: blockIds } }, select: { id: true, targetLabel: true } })).map((b) => [b.id, b.targetLabel]) : [],
  );
  return rows.map((r) => toEditRow(r, { whitelisted: set.has(`${r.wiki}\u0000${actorKeyOf(r)}`), hidden: hidden.has(r.id.toString()), blockLabels }));
}

function authorizedWikis(actor: Actor, wiki?: string): Wikis {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  const wikis = wikisWith(actor, 'queue.view');
  if (wiki && wikis !== '*' && !wikis.includes(wiki)) throw new ForbiddenError();
  return wikis;
}

/** The queue's first page for the given filters, newest first (what the server renders). */
export async function queueEdits(actor: Actor, filters: QueueFilters = DEFAULT_FILTERS, opts: { limit?: number } = {}): Promise<EditRow[]> {
  const wikis = authorizedWikis(actor, filters.wiki);
  const trusted = await whitelistFor(wikis, filters.wiki);
  const rows = await db().edit.findMany({
    where: { AND: [scopeWhere(wikis), ...filterWhere(filters, viewerId(actor), trusted)] },
    orderBy: [{ ts: 'desc' }, { id: 'desc' }],
    take: Math.max(1, Math.min(opts.limit ?? QUEUE_PAGE, QUEUE_PAGE)),
    include: { review: true },
  });
  return decorate(actor, rows, trusted);
}

/**
 * Edits by id (a stored batch announced on the bus), limited to the actor's wikis; unfiltered otherwise (the
 * browser applies its filters, lib/edits/filters.ts). Ids that are not the actor's to see are left out silently.
 */
export async function editsByIds(actor: Actor, ids: readonly string[]): Promise<EditRow[]> {
  const wikis = authorizedWikis(actor);
  const valid = ids.filter((i) => /^\d{1,19}$/.test(i)).slice(0, 5000).map((i) => BigInt(i));
  if (!valid.length) return [];
  const rows = await db().edit.findMany({
    where: { AND: [scopeWhere(wikis), { id: { in: valid } }] },
    orderBy: [{ ts: 'desc' }, { id: 'desc' }],
    include: { review: true },
  });
  const inRows = [...new Set(rows.map((r) => r.wiki))];
  return decorate(actor, rows, inRows.length ? await whitelistFor(inRows) : []);
}

/** Edits stored after `afterId` (a reconnecting stream's Last-Event-ID), newest first, at most one page. */
/**
 * The newest edits after `afterId` the actor may see, at most one page; `gap` is true when there were more
 * (the caller cannot catch up row by row and should reload the first page).
 */
export async function editsAfter(actor: Actor, afterId: string, limit = QUEUE_PAGE): Promise<{ rows: EditRow[]; gap: boolean }> {
  const wikis = authorizedWikis(actor);
  if (!/^\d{1,19}$/.test(afterId)) return { rows: [], gap: false };
  const take = Math.min(limit, QUEUE_PAGE);
  const found = await db().edit.findMany({
    where: { AND: [scopeWhere(wikis), { id: { gt: BigInt(afterId) } }] },
    orderBy: { id: 'desc' },
    take: take + 1,
    include: { review: true },
  });
  const rows = found.slice(0, take);
  const inRows = [...new Set(rows.map((r) => r.wiki))];
  return { rows: await decorate(actor, rows, inRows.length ? await whitelistFor(inRows) : []), gap: found.length > take };
}

/** Wikis offered in the queue's wiki filter: those with edits in the last day that the actor may patrol. */
export async function queueWikis(actor: Actor): Promise<string[]> {
  const wikis = authorizedWikis(actor);
  if (wikis !== '*') return [...wikis].sort();
  const since = new Date(Date.now() - 24 * 3600_000);
  const rows = await db().edit.groupBy({ by: ['wiki'], where: { ts: { gte: since } }, orderBy: { wiki: 'asc' } });
  return rows.map((r) => r.wiki);
}

/** The highest stored edit id (where a freshly rendered queue's live stream starts), as a string. */
export async function queueCursor(actor: Actor): Promise<string> {
  authorizedWikis(actor);
  const r = await db().edit.aggregate({ _max: { id: true } });
  return (r._max.id ?? 0n).toString();
}
