import { clusterLabel } from '../clusters/queries';
import { db } from '../db/client';
import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { ForbiddenError } from '../errors';
import { displayCode } from '../masking/pseudonym';
import { rangeLabel } from '../masking/pseudonym';

/** What a patroller sees of an edit: pseudonyms and masked text only. */
export interface EditRow {
  id: string;
  wiki: string;
  ts: string;
  title: string;
  namespace: number;
  type: string;
  actorKind: string;
  actorName: string;
  /** what /actors/[key] takes: the pseudonym key of an IP editor, the name of an account */
  actorRef: string;
  ranges: string[];
  sizeDelta: number | null;
  comment: string | null;
  isBot: boolean;
  isNew: boolean;
  isMinor: boolean;
  diffUrl: string | null;
  /** revert-risk score 0..1, null when unscored */
  score: number | null;
  /** the score's top contributing factors, human-readable */
  factors: string[];
  /** the actor's cluster right after this edit */
  cluster: { id: string; label: string } | null;
  /** what /actors/<key> takes: the actor pseudonym key (hex HMAC) for IP editors, the account name otherwise */
  actorKey: string;
  /** the range pseudonyms with their keys, for /ranges/<key> */
  rangeLinks: { label: string; key: string }[];
  /** shared reviewed state (null: nobody reviewed it) */
  review: { by: string; at: string } | null;
  /** the editor is whitelisted (trusted) on this wiki */
  whitelisted: boolean;
  /** hidden by the viewing user */
  hidden: boolean;
  /** the active block this edit evaded when it arrived (lib/blocks, set at ingest); null otherwise */
  block: { id: string; label: string; evasion: true } | null;
  /** IP context of the editor's /24 or /64 (step 9): network, registration country, type; null: none looked up */
  net: { asn: number | null; org: string | null; country: string | null; type: string; anon: string | null } | null;
}

/**
 * The edit columns toEditRow reads: reads that only show rows select these (a Prisma `select`, or EDIT_ROW_SQL)
 * instead of every column — the row's JSON, tags, log parameters and mentions cost the database, the driver and
 * Prisma's result mapping per row for nothing (the queue reads 100–500 rows per request).
 */
export const EDIT_ROW_COLUMNS = [
  'id', 'wiki', 'ts', 'title', 'namespace', 'type', 'actorKind', 'actorName', 'ipKey',
  'range16', 'range24', 'range32', 'range48', 'range64', 'sizeDelta', 'comment', 'isBot', 'isNew', 'isMinor',
  'serverUrl', 'revId', 'oldRevId', 'score', 'scoreFactors', 'clusterId', 'evasionBlockId',
  'netType', 'netAsn', 'netOrg', 'netCountry', 'netAnon',
] as const;
type EditRowColumn = (typeof EDIT_ROW_COLUMNS)[number];
type FullEdit = Awaited<ReturnType<ReturnType<typeof db>['edit']['findMany']>>[number];

/** Prisma's `select` of EDIT_ROW_COLUMNS. */
export const EDIT_ROW_SELECT = Object.fromEntries(EDIT_ROW_COLUMNS.map((c) => [c, true])) as { [K in EditRowColumn]: true };

/** EDIT_ROW_COLUMNS qualified by a table alias, for raw SQL: `e."id", e."wiki", …`. */
export function editRowSql(alias: string): string {
  return EDIT_ROW_COLUMNS.map((c) => `${alias}."${c}"`).join(', ');
}

/** A stored edit as read for display (those columns of the Prisma row, optionally with its review). */
export type StoredEdit = Pick<FullEdit, EditRowColumn> & {
  review?: { reviewerName: string; reviewedAt: Date } | null;
};

/** The actor identity used for links and the whitelist. */
export function actorKeyOf(r: { actorKind: string; ipKey: string | null; actorName: string }): string {
  return r.actorKind === 'ip' && r.ipKey ? r.ipKey : r.actorName;
}

/** Map a stored edit to what a patroller sees (no IP: pseudonyms and masked text only). */
export function toEditRow(r: StoredEdit, extra: { whitelisted?: boolean; hidden?: boolean; blockLabels?: Map<string, string> } = {}): EditRow {
  const rangeLinks = RANGE_COLUMNS.filter(([c]) => r[c]).map(([c, fam, p]) => ({ label: rangeDisplay(fam, p, r[c]!), key: r[c]! }));
  return {
    id: r.id.toString(),
    wiki: r.wiki,
    ts: r.ts.toISOString(),
    title: r.title,
    namespace: r.namespace,
    type: r.type,
    actorKind: r.actorKind,
    actorName: r.actorName,
    actorRef: actorKeyOf(r),
    ranges: rangeLinks.map((l) => l.label),
    sizeDelta: r.sizeDelta,
    comment: r.comment,
    isBot: r.isBot,
    isNew: r.isNew,
    isMinor: r.isMinor,
    diffUrl: diffUrl(r.serverUrl, r.revId, r.oldRevId),
    score: r.score,
    factors: factorLabels(r.scoreFactors),
    cluster: r.clusterId ? { id: r.clusterId, label: clusterLabel(r.clusterId) } : null,
    actorKey: actorKeyOf(r),
    rangeLinks,
    review: r.review ? { by: r.review.reviewerName, at: r.review.reviewedAt.toISOString() } : null,
    whitelisted: extra.whitelisted ?? false,
    hidden: extra.hidden ?? false,
    block: r.evasionBlockId ? { id: r.evasionBlockId, label: extra.blockLabels?.get(r.evasionBlockId) ?? 'a block', evasion: true } : null,
    net: r.netType ? { asn: r.netAsn, org: r.netOrg, country: r.netCountry, type: r.netType, anon: r.netAnon } : null,
  };
}

function factorLabels(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((f) => (f && typeof f === 'object' && typeof (f as { label?: unknown }).label === 'string' ? [(f as { label: string }).label] : []));
}

const RANGE_COLUMNS: [keyof RangeCols, 4 | 6, number][] = [
  ['range24', 4, 24],
  ['range16', 4, 16],
  ['range64', 6, 64],
  ['range48', 6, 48],
  ['range32', 6, 32],
];
interface RangeCols {
  range16: string | null;
  range24: string | null;
  range32: string | null;
  range48: string | null;
  range64: string | null;
}

export function rangeDisplay(family: 4 | 6, prefix: number, keyHex: string): string {
  return `${rangeLabel(family, prefix)}-${displayCode(Buffer.from(keyHex, 'hex'))}`;
}

function diffUrl(serverUrl: string | null, revId: bigint | null, oldRevId: bigint | null): string | null {
  if (!serverUrl || !revId || !/^https?:\/\/[a-z0-9.-]+$/i.test(serverUrl)) return null;
  return `${serverUrl}/w/index.php?diff=${revId}${oldRevId ? `&oldid=${oldRevId}` : ''}`;
}

/** The newest edits on the wikis the actor may patrol (optionally one wiki, and a minimum score). */
export async function recentEdits(actor: Actor, opts: { limit?: number; wiki?: string; minScore?: number } = {}): Promise<EditRow[]> {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  const wikis = wikisWith(actor, 'queue.view');
  const where = {
    ...(wikis === '*' ? {} : { wiki: { in: wikis } }),
    ...(opts.wiki ? { wiki: opts.wiki } : {}),
    ...(opts.minScore !== undefined ? { score: { gte: opts.minScore } } : {}),
  };
  if (opts.wiki && wikis !== '*' && !wikis.includes(opts.wiki)) throw new ForbiddenError();
  const rows = await db().edit.findMany({ where, orderBy: { ts: 'desc' }, take: Math.min(opts.limit ?? 100, 500), include: { review: true } });
  return rows.map((r) => toEditRow(r));
}
