import { z } from 'zod';
import { EventStreamsSchema, isCanary, parseEventStreamsEvent } from '../feed/parse-eventstreams';
import { LIMITS, text } from '../feed/limits';
import { fail, zodReason, type ParseResult } from '../feed/result';
import { tryCanonicalIp } from '../masking/ip';

/**
 * The body of POST /api/ingest (docs/ingest-endpoint.md): `{ "events": [ … ] }`, each event an
 * EventStreams `mediawiki/recentchange` event (meta.id is its identity) plus the private fields a trusted
 * producer on the wiki side adds for EVERY edit — temporary accounts and registered users alike:
 * `ip` (required) and `userAgent` (optional), and optionally `tags`.
 */
export const INGEST_MAX_EVENTS = 500;
export const INGEST_MAX_BODY_BYTES = 1024 * 1024;
export const INGEST_MAX_USER_AGENT = 1000;

export const ZIngestPrivateFields = z.object({
  ip: z
    .string()
    .max(100)
    .refine((s) => tryCanonicalIp(s) !== null, { message: '!is not an IP address' }),
  userAgent: text(INGEST_MAX_USER_AGENT).nullable().optional(),
  tags: z.array(text(LIMITS.tag)).max(LIMITS.tags).optional(),
});

/** One event: the EventStreams recentchange schema plus the private fields. */
export const ZIngestEvent = EventStreamsSchema.extend(ZIngestPrivateFields.shape);
export type TIngestEvent = z.infer<typeof ZIngestEvent>;

/** The request: events are checked one by one (a bad event is dead-lettered, its neighbours stored). */
export const ZIngestRequest = z.object({
  events: z.array(z.unknown()).min(1).max(INGEST_MAX_EVENTS),
});
export type TIngestRequest = z.infer<typeof ZIngestRequest>;

/**
 * One event → RawEdit (source "ingest-api") carrying the private IP and user agent for the masking
 * boundary. Never throws; reasons name fields, never values. Canary events are ignored.
 */
export function parseIngestEvent(input: unknown): ParseResult {
  if (isCanary(input)) return { ok: false, reason: 'canary event', ignore: true };
  const parsed = ZIngestEvent.safeParse(input);
  if (!parsed.success) return fail(zodReason(parsed.error));
  const base = parseEventStreamsEvent(parsed.data);
  if (!base.ok) return base;
  const e = parsed.data;
  return {
    ok: true,
    edit: {
      ...base.edit,
      source: 'ingest-api',
      ip: e.ip,
      userAgent: e.userAgent ?? null,
      tags: e.tags ?? [],
    },
  };
}
