import { z } from 'zod';
import { isStrictIp, isTempAccountName } from './ip';
import { LIMITS, TOO_DEEP, eventTimeProblem, isPlainObject, logParamsSchema, pageSize, parseJsonSafe, text, uint, valueDepth, wikiId } from './limits';
import { fail, zodReason, type ParseResult } from './result';
import type { RawEdit } from './types';

/**
 * MediaWiki Action API `action=query&list=recentchanges&formatversion=2` rows and response envelopes.
 * The wiki id is not in the response: it comes from configuration.
 */
const score = z.object({ true: z.number().min(0).max(1).optional() }).optional();

export const ActionApiRowSchema = z.object({
  type: z.enum(['edit', 'new', 'log', 'categorize', 'external']),
  ns: z.number().int().min(-2).max(1_000_000),
  title: text(LIMITS.title),
  rcid: uint,
  revid: uint.optional(),
  old_revid: uint.optional(),
  user: text(LIMITS.user).optional(),
  userhidden: z.boolean().optional(),
  anon: z.boolean().optional(),
  temp: z.boolean().optional(),
  bot: z.boolean().optional(),
  new: z.boolean().optional(),
  minor: z.boolean().optional(),
  oldlen: pageSize.optional(),
  newlen: pageSize.optional(),
  timestamp: z.iso.datetime({ offset: false }),
  comment: text(LIMITS.comment).optional(),
  parsedcomment: text(LIMITS.parsedComment).optional(),
  patrolled: z.boolean().optional(),
  unpatrolled: z.boolean().optional(),
  tags: z.array(text(LIMITS.tag)).max(LIMITS.tags).optional(),
  logtype: text(LIMITS.logType).optional(),
  logaction: text(LIMITS.logType).optional(),
  logparams: logParamsSchema.optional(),
  oresscores: z.object({ damaging: score, goodfaith: score }).optional(),
});

export interface ActionApiParseOptions {
  wiki: string;
  serverUrl?: string | null;
}

/** Parse one `recentchanges` row. Never throws. */
export function parseActionApiRow(input: unknown, opts: ActionApiParseOptions): ParseResult {
  if (!wikiId.safeParse(opts.wiki).success) return fail('configured wiki id is invalid');
  const parsed = ActionApiRowSchema.safeParse(input);
  if (!parsed.success) return fail(zodReason(parsed.error));
  const r = parsed.data;
  if (r.user === undefined) return fail(r.userhidden ? 'field `user` is hidden (suppressed edit)' : 'field `user` is missing');
  const rcTime = Date.parse(r.timestamp);
  const timeProblem = eventTimeProblem(rcTime, 'timestamp');
  if (timeProblem) return fail(timeProblem);
  const sizeOld = r.oldlen ?? null;
  const sizeNew = r.newlen ?? null;
  const edit: RawEdit = {
    source: 'action-api',
    wiki: opts.wiki,
    sourceId: `rc:${r.rcid}`,
    rcId: r.rcid,
    revId: r.revid ? r.revid : null,
    oldRevId: r.old_revid ? r.old_revid : null,
    type: r.type,
    namespace: r.ns,
    title: r.title,
    timestamp: new Date(rcTime).toISOString(),
    user: r.user,
    // an IP-named editor is anonymous whatever the flag says (masking must not depend on a flag)
    isAnon: (r.anon ?? false) || isStrictIp(r.user),
    isTemp: (r.temp ?? false) || isTempAccountName(r.user),
    isBot: r.bot ?? false,
    isMinor: r.minor ?? false,
    isNew: (r.new ?? false) || r.type === 'new',
    isPatrolled: r.patrolled ?? (r.unpatrolled === undefined ? null : !r.unpatrolled),
    comment: r.comment ?? null,
    parsedComment: r.parsedcomment ?? null,
    sizeOld,
    sizeNew,
    sizeDelta: sizeOld !== null && sizeNew !== null ? sizeNew - sizeOld : null,
    tags: r.tags ?? [],
    logType: r.logtype ?? null,
    logAction: r.logaction ?? null,
    logParams: r.logparams ?? null,
    ip: null,
    userAgent: null,
    serverUrl: opts.serverUrl ?? null,
    country: null,
    ores: r.oresscores
      ? { damaging: r.oresscores.damaging?.true ?? null, goodfaith: r.oresscores.goodfaith?.true ?? null }
      : null,
  };
  return { ok: true, edit };
}

export type ApiError = { code: string };

export interface ActionApiPage {
  /** rows in the order the API returned them, each parsed or rejected */
  rows: { result: ParseResult; size: number }[];
  /** continue.rccontinue, null when the listing is complete */
  rccontinue: string | null;
  /** set when the response is an API error (e.g. maxlag) instead of data */
  error: ApiError | null;
}

const CONTINUE = z.string().max(200).regex(/^[0-9]{14}\|[0-9]+$/);
const ERROR_CODE = z.string().max(100).regex(/^[A-Za-z0-9_-]+$/);

/**
 * Parse a whole response (already-decoded JSON). Envelope problems give `{ ok: false }`; row problems
 * are reported per row so valid neighbours survive.
 */
export function parseActionApiResponse(
  input: unknown,
  opts: ActionApiParseOptions,
): { ok: true; page: ActionApiPage } | { ok: false; reason: string } {
  if (!isPlainObject(input)) return fail('response is not a JSON object');
  if (isPlainObject(input.error)) {
    const code = ERROR_CODE.safeParse(input.error.code);
    return { ok: true, page: { rows: [], rccontinue: null, error: { code: code.success ? code.data : 'unknown' } } };
  }
  let rccontinue: string | null = null;
  if (input.continue !== undefined) {
    const cont = isPlainObject(input.continue) ? CONTINUE.safeParse(input.continue.rccontinue) : null;
    if (!cont?.success) return fail('field `continue.rccontinue` is invalid');
    rccontinue = cont.data;
  }
  const query = input.query;
  const list = isPlainObject(query) ? query.recentchanges : undefined;
  // an empty listing says so ("batchcomplete" and no query); any other object without a query is not a response
  // (a stray row or unrelated JSON in a replay file must be dead-lettered, not skipped as an empty page)
  if (query === undefined && rccontinue === null)
    return input.batchcomplete === undefined ? fail('field `query` is missing') : { ok: true, page: { rows: [], rccontinue, error: null } };
  if (!Array.isArray(list)) return fail('field `query.recentchanges` is not a list');
  // each row's depth first (the document was parsed without a depth cap, see parseActionApiDocument)
  const rows = list.map((row: unknown) =>
    valueDepth(row) > LIMITS.maxJsonDepth
      ? { result: fail(TOO_DEEP), size: 0 }
      : { result: parseActionApiRow(row, opts), size: JSON.stringify(row)?.length ?? 0 },
  );
  return { ok: true, page: { rows, rccontinue, error: null } };
}

/**
 * Parse a response from text or bytes. Size limited; depth limited per row, not for the whole document, so a
 * deeply nested row is dead-lettered alone and its neighbours survive. Never throws.
 */
export function parseActionApiDocument(
  doc: string | Uint8Array,
  opts: ActionApiParseOptions,
): ReturnType<typeof parseActionApiResponse> {
  const json = parseJsonSafe(doc, { maxBytes: LIMITS.maxDocumentBytes, maxDepth: null });
  if (!json.ok) return fail(json.reason);
  return parseActionApiResponse(json.value, opts);
}

/** MediaWiki timestamp "2020-04-12T14:01:51Z" → the 14-digit form used in rccontinue. */
export function toMwTimestamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/[-:TZ]/g, '');
}
