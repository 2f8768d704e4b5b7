import { z } from 'zod';

/**
 * Limits applied to every source (docs/feed-adapters.md "Limits"). Real MediaWiki data stays far below
 * them (titles ≤ 255 bytes, summaries ≤ 500 characters, user names ≤ 85 characters), so anything over a
 * limit is hostile or broken and is REJECTED with a reason — never silently truncated, because a
 * truncated title or summary would be a different, misleading event.
 */
export const LIMITS = {
  /** one JSONL line, one SSE event's data, one Action API row */
  maxLineBytes: 1024 * 1024,
  /** one Action API response body / one whole JSON replay file */
  maxDocumentBytes: 32 * 1024 * 1024,
  /** nesting depth of any JSON document (an Action API response with log params needs about 8) */
  maxJsonDepth: 32,
  title: 512,
  user: 255,
  comment: 2000,
  parsedComment: 10_000,
  tag: 255,
  tags: 50,
  logType: 64,
  /** JSON-serialised size of log params */
  logParams: 20_000,
  wiki: 64,
  url: 255,
  sourceId: 256,
} as const;

/** Lone UTF-16 surrogates (broken text smuggled in as JSON \uD800 escapes) and NUL (PostgreSQL text cannot hold it). */
const BROKEN_TEXT = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;

export function isCleanText(s: string): boolean {
  return !BROKEN_TEXT.test(s);
}

/** A string field with a length cap and clean-text check (reasons are value-free, see result.ts). */
export function text(max: number) {
  return z
    .string()
    .max(max)
    .refine(isCleanText, { message: '!contains invalid characters (NUL or broken UTF-16)' });
}

/** Non-negative integers as MediaWiki ids and sizes are (sizes up to 2^31, ids up to 2^53). */
export const uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const wikiId = z
  .string()
  .max(LIMITS.wiki)
  .regex(/^[a-z][a-z0-9_]*$/, { message: '!is not a wiki id' });

export const httpUrl = z
  .string()
  .max(LIMITS.url)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/, { message: '!is not a server URL' });

/**
 * Page sizes in bytes. The database stores sizes (and their difference) as 32-bit `int`: a larger value
 * would make the whole batch fail to store — and a batch the database refuses is retried forever, which
 * stalls the feed behind one hostile event. So the parser refuses it instead.
 */
export const pageSize = z.number().int().nonnegative().max(2_147_483_647);

export const logParamsSchema = z.unknown().refine(
  (v) => {
    if (v === undefined || v === null) return true;
    const s = JSON.stringify(v);
    // JSON.stringify escapes NUL and lone surrogates ("\u0000", "\ud800"), so the serialised text always
    // looks clean: check every key and string inside instead (PostgreSQL jsonb refuses both)
    return s === undefined || (s.length <= LIMITS.logParams && isCleanJson(v));
  },
  { message: '!is too large or holds invalid characters' },
);

/** Every string and key in a JSON value is clean text (iterative: no recursion on hostile nesting). */
export function isCleanJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isCleanText(v)) return false;
    } else if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (!isCleanText(k)) return false;
        stack.push(x);
      }
  }
  return true;
}

/** Wikipedia's first edits were made in January 2001; nothing a feed sends can be older. */
const EARLIEST_EVENT_MS = Date.UTC(2001, 0, 1);
/** Clock skew tolerated for events that claim to come from the future. */
const FUTURE_SKEW_MS = 24 * 3600 * 1000;

/**
 * Why an event time is implausible, or null. A time outside [2001, now + 1 day] is hostile or broken, and
 * harmful beyond its own event: PostgreSQL cannot store years past 294276 (or ISO strings with 6-digit
 * years), and a replay shifts every event by (now − the file's latest time), so one far-future time would
 * move all the others into the distant past (or out of range, failing every batch).
 */
export function eventTimeProblem(ms: number, field: string, now: number = Date.now()): string | null {
  if (!Number.isFinite(ms)) return `field \`${field}\` is not a date`;
  if (ms < EARLIEST_EVENT_MS || ms > now + FUTURE_SKEW_MS) return `field \`${field}\` is out of range`;
  return null;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode bytes as strict UTF-8 (broken sequences are an error, not U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * JSON.parse with a size cap and a nesting-depth cap checked BEFORE parsing (a linear scan that skips
 * strings), so a hostile document cannot exhaust the stack or memory. Never throws.
 *
 * `maxDepth: null` skips the depth cap for ENVELOPES of many events (an Action API response, an /api/ingest
 * body), so one deeply nested event cannot take its valid neighbours down with it: V8's JSON.parse is
 * iterative (a million levels parse without a stack problem), and the caller checks each event with
 * `valueDepth` before anything recursive (zod, JSON.stringify) touches it.
 */
export function parseJsonSafe(
  input: string | Uint8Array,
  opts: { maxBytes?: number; maxDepth?: number | null } = {},
): JsonResult {
  const maxBytes = opts.maxBytes ?? LIMITS.maxLineBytes;
  const maxDepth = opts.maxDepth === null ? Infinity : (opts.maxDepth ?? LIMITS.maxJsonDepth);
  let textIn: string;
  if (typeof input === 'string') {
    textIn = input;
    if (textIn.length > maxBytes) return { ok: false, reason: 'input is larger than the size limit' };
  } else {
    if (input.byteLength > maxBytes) return { ok: false, reason: 'input is larger than the size limit' };
    const decoded = decodeUtf8(input);
    if (decoded === null) return { ok: false, reason: 'input is not valid UTF-8' };
    textIn = decoded;
  }
  // the depth is at most the number of opening brackets: count them natively, scan only when needed
  if (maxDepth !== Infinity && openBrackets(input, maxDepth) > maxDepth && jsonDepth(textIn) > maxDepth) return { ok: false, reason: `input is nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(textIn) as unknown };
  } catch {
    return { ok: false, reason: 'input is not valid JSON' };
  }
}

/** Occurrences of "{" and "[" (inside strings too), counted up to just past `max`. */
function openBrackets(input: string | Uint8Array, max: number): number {
  let n = 0;
  if (typeof input === 'string') {
    for (const c of ['{', '[']) for (let i = input.indexOf(c); i !== -1 && n <= max; i = input.indexOf(c, i + 1)) n++;
  } else {
    // UTF-8: these ASCII bytes never occur inside a multi-byte sequence, so bytes and characters agree
    for (const c of [0x7b, 0x5b]) for (let i = input.indexOf(c); i !== -1 && n <= max; i = input.indexOf(c, i + 1)) n++;
  }
  return n;
}

/** Maximum bracket nesting of a JSON text, ignoring brackets inside strings. */
export function jsonDepth(s: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Nesting depth of a parsed JSON value, counted without recursion and only up to `max + 1` (a scalar is 0,
 * `[]` and `{}` are 1). For the events inside an envelope parsed with `maxDepth: null`.
 */
export function valueDepth(value: unknown, max: number = LIMITS.maxJsonDepth): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return deepest;
}

/** The reason for an event nested deeper than the limit (the same words as parseJsonSafe's). */
export const TOO_DEEP = `input is nested deeper than ${LIMITS.maxJsonDepth} levels`;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
