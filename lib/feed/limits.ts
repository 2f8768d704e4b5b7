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

export const logParamsSchema = z.unknown().refine(
  (v) => {
    if (v === undefined || v === null) return true;
    const s = JSON.stringify(v);
    return s === undefined || (s.length <= LIMITS.logParams && isCleanText(s));
  },
  { message: '!is too large or holds invalid characters' },
);

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
 */
export function parseJsonSafe(
  input: string | Uint8Array,
  opts: { maxBytes?: number; maxDepth?: number } = {},
): JsonResult {
  const maxBytes = opts.maxBytes ?? LIMITS.maxLineBytes;
  const maxDepth = opts.maxDepth ?? LIMITS.maxJsonDepth;
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
  if (openBrackets(input, maxDepth) > maxDepth && jsonDepth(textIn) > maxDepth) return { ok: false, reason: `input is nested deeper than ${maxDepth} levels` };
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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
