import { z } from 'zod';
import { isStrictIp, isTempAccountName } from './ip';
import { LIMITS, eventTimeProblem, httpUrl, logParamsSchema, pageSize, parseJsonSafe, text, uint, wikiId } from './limits';
import { fail, zodReason, type ParseResult } from './result';
import type { RawEdit } from './types';

/**
 * Wikimedia EventStreams `/mediawiki/recentchange/1.0.0` events (https://stream.wikimedia.org/v2/stream/recentchange).
 * Unknown fields are ignored; optional ones (length, revision, minor, patrolled, log_*) may be missing.
 */
const nullableUint = uint.nullable().optional();
const nullableSize = pageSize.nullable().optional();

export const EventStreamsSchema = z.object({
  meta: z.object({
    id: text(LIMITS.sourceId).min(1),
    domain: text(LIMITS.url).optional(),
    dt: z.string().max(40).optional(),
  }),
  id: uint.nullable().optional(),
  type: z.enum(['edit', 'new', 'log', 'categorize', 'external']),
  namespace: z.number().int().min(-2).max(1_000_000),
  title: text(LIMITS.title),
  comment: text(LIMITS.comment).optional(),
  parsedcomment: text(LIMITS.parsedComment).optional(),
  timestamp: uint,
  user: text(LIMITS.user),
  bot: z.boolean(),
  minor: z.boolean().optional(),
  patrolled: z.boolean().optional(),
  length: z.object({ old: nullableSize, new: nullableSize }).optional(),
  revision: z.object({ old: nullableUint, new: nullableUint }).optional(),
  server_url: httpUrl.optional(),
  wiki: wikiId,
  log_type: text(LIMITS.logType).nullable().optional(),
  log_action: text(LIMITS.logType).nullable().optional(),
  log_params: logParamsSchema.optional(),
});

/** Parse one already-decoded event object. Never throws. */
export function parseEventStreamsEvent(input: unknown): ParseResult {
  if (isCanary(input)) return { ok: false, reason: 'canary event', ignore: true };
  const parsed = EventStreamsSchema.safeParse(input);
  if (!parsed.success) return fail(zodReason(parsed.error));
  const e = parsed.data;
  const ms = e.timestamp * 1000;
  const timeProblem = eventTimeProblem(ms, 'timestamp');
  if (timeProblem) return fail(timeProblem);
  const sizeOld = e.length?.old ?? null;
  const sizeNew = e.length?.new ?? null;
  const edit: RawEdit = {
    source: 'eventstreams',
    wiki: e.wiki,
    sourceId: e.meta.id,
    rcId: e.id ?? null,
    revId: e.revision?.new ?? null,
    oldRevId: e.revision?.old ?? null,
    type: e.type,
    namespace: e.namespace,
    title: e.title,
    timestamp: new Date(ms).toISOString(),
    user: e.user,
    isAnon: isStrictIp(e.user),
    isTemp: isTempAccountName(e.user),
    isBot: e.bot,
    isMinor: e.minor ?? false,
    isNew: e.type === 'new',
    isPatrolled: e.patrolled ?? null,
    comment: e.comment ?? null,
    parsedComment: e.parsedcomment ?? null,
    sizeOld,
    sizeNew,
    sizeDelta: sizeOld !== null && sizeNew !== null ? sizeNew - sizeOld : null,
    tags: [],
    logType: e.log_type ?? null,
    logAction: e.log_action ?? null,
    logParams: e.log_params ?? null,
    ip: null,
    userAgent: null,
    serverUrl: e.server_url ?? null,
    country: null,
    ores: null,
  };
  return { ok: true, edit };
}

/** Parse one JSON line / SSE data payload (string or raw bytes). Never throws. */
export function parseEventStreamsLine(line: string | Uint8Array): ParseResult {
  const json = parseJsonSafe(line);
  if (!json.ok) return fail(json.reason);
  return parseEventStreamsEvent(json.value);
}

/** Canary events are synthetic monitoring events Wikimedia injects into every stream (meta.domain "canary"). */
export function isCanary(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const meta = (input as { meta?: unknown }).meta;
  return typeof meta === 'object' && meta !== null && (meta as { domain?: unknown }).domain === 'canary';
}
