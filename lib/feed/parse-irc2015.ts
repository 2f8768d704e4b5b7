import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { isStrictIp, isTempAccountName } from './ip';
import { channelToWiki, namespaceId } from './irc-names';
import { LIMITS, eventTimeProblem, parseJsonSafe, text } from './limits';
import { fail, zodReason, type ParseResult } from './result';
import type { RawEdit } from './types';

/**
 * The 2015 Wikimedia IRC recent-changes feed as flattened by Apache Druid's "wikiticker" sample
 * (one JSON object per line). It has no ids and no page sizes; GeoIP fields are present.
 * City, region and metro fields are dropped here; only the country code is kept.
 */
const int = z.number().int().min(-1e9).max(1e9);

export const Irc2015Schema = z.object({
  time: z.iso.datetime({ offset: false, precision: 3 }).or(z.iso.datetime({ offset: false })),
  channel: z.string().max(64),
  page: text(LIMITS.title).min(1),
  user: text(LIMITS.user).min(1),
  isAnonymous: z.boolean(),
  isRobot: z.boolean(),
  isMinor: z.boolean(),
  isNew: z.boolean(),
  isUnpatrolled: z.boolean(),
  namespace: text(128),
  comment: text(LIMITS.comment).nullable().optional(),
  delta: int.nullable().optional(),
  added: int.nullable().optional(),
  deleted: int.nullable().optional(),
  countryIsoCode: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: '!is not an ISO 3166-1 alpha-2 code' })
    .nullable()
    .optional(),
});

/** Fields whose values are derived from the editor's IP: never part of the event identity. */
const GEO_FIELDS = ['cityName', 'countryIsoCode', 'countryName', 'metroCode', 'regionIsoCode', 'regionName'];

type Checked =
  | { ok: true; e: z.infer<typeof Irc2015Schema>; wiki: NonNullable<ReturnType<typeof channelToWiki>>; ms: number }
  | { ok: false; reason: string };

/** Everything that decides whether a line is an edit (schema, channel, time), without building it. */
function check(input: unknown): Checked {
  const parsed = Irc2015Schema.safeParse(input);
  if (!parsed.success) return fail(zodReason(parsed.error));
  const e = parsed.data;
  const wiki = channelToWiki(e.channel);
  if (!wiki) return fail('field `channel` is not a wiki channel');
  const ms = Date.parse(e.time);
  const timeProblem = eventTimeProblem(ms, 'time');
  if (timeProblem) return fail(timeProblem);
  return { ok: true, e, wiki, ms };
}

/** Parse one decoded line object. Never throws. */
export function parseIrc2015Event(input: unknown): ParseResult {
  const c = check(input);
  if (!c.ok) return c;
  const { e, wiki, ms } = c;
  // the wikiticker sample flags only IPv4 editors as anonymous: an IP-named editor is anonymous regardless
  const isAnon = e.isAnonymous || isStrictIp(e.user);
  const edit: RawEdit = {
    source: 'irc-2015',
    wiki: wiki.wiki,
    sourceId: ircSourceId(input as Record<string, unknown>, isAnon),
    rcId: null,
    revId: null,
    oldRevId: null,
    type: e.isNew ? 'new' : 'edit',
    namespace: namespaceId(e.namespace),
    title: e.page,
    timestamp: new Date(ms).toISOString(),
    user: e.user,
    isAnon,
    isTemp: isTempAccountName(e.user),
    isBot: e.isRobot,
    isMinor: e.isMinor,
    isNew: e.isNew,
    // the IRC feed marks unpatrolled changes only; no mark means patrolled OR patrolling disabled
    isPatrolled: e.isUnpatrolled ? false : null,
    comment: e.comment ?? null,
    parsedComment: null,
    sizeOld: null,
    sizeNew: null,
    sizeDelta: e.delta ?? null,
    tags: [],
    logType: null,
    logAction: null,
    logParams: null,
    ip: null,
    userAgent: null,
    serverUrl: wiki.serverUrl,
    country: e.countryIsoCode ?? null,
    ores: null,
  };
  return { ok: true, edit };
}

/** Parse one JSONL line (string or bytes). Never throws. */
export function parseIrc2015Line(line: string | Uint8Array): ParseResult {
  const json = parseJsonSafe(line);
  if (!json.ok) return fail(json.reason);
  return parseIrc2015Event(json.value);
}

/**
 * The time (epoch ms) of the edit a line parses to, or null when parseIrc2015Line would reject it. The
 * same checks, minus building the event and hashing its identity: the replay's first pass (finding the
 * last timestamp for the time shift) needs nothing else.
 */
export function irc2015LineTime(line: string | Uint8Array): number | null {
  const json = parseJsonSafe(line);
  return json.ok ? irc2015ValueTime(json.value) : null;
}

/** irc2015LineTime for a line already parsed as JSON. */
export function irc2015ValueTime(value: unknown): number | null {
  const c = check(value);
  return c.ok ? c.ms : null;
}

const IPV4_LIKE = /\d{1,3}(?:\.\d{1,3}){3}/g;
const IPV6_LIKE = /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/g;

/** IP-like substrings blanked; the cheap tests skip the regexes for strings that cannot match them. */
function blankIps(v: string): string {
  if (v.includes('.')) v = v.replace(IPV4_LIKE, '∅');
  if (v.includes(':')) v = v.replace(IPV6_LIKE, '∅');
  return v;
}

/**
 * "irc:" + SHA-256 of the canonical (RFC 8785) line WITHOUT anything an IP could be recovered from: an
 * unkeyed hash over a line whose other fields are public would let anyone brute-force the IP. So the
 * user is left out when anonymous, GeoIP fields are left out, and IP-like substrings of every string
 * (titles like "User talk:1.2.3.4", revert summaries) are blanked. Unique over the whole 2015 file.
 */
export function ircSourceId(line: Record<string, unknown>, anonymous: boolean): string {
  const identity: Record<string, unknown> = {};
  for (const k in line) {
    if (!Object.hasOwn(line, k) || GEO_FIELD_SET.has(k) || (k === 'user' && anonymous)) continue;
    const v = line[k];
    identity[k] = typeof v === 'string' ? blankIps(v) : v;
  }
  let canonical = canonicalFlat(identity);
  if (canonical === null) {
    try {
      canonical = canonicalize(identity) ?? '';
    } catch {
      // RFC 8785 refuses lone surrogates (JSON escapes can carry them, in fields the parser does not read): the
      // identity then hashes them as U+FFFD, so the line is still stored or dead-lettered, never thrown
      canonical = canonicalize(wellFormed(identity)) ?? '';
    }
  }
  return `irc:${hash('sha256', canonical, 'hex')}`;
}

const GEO_FIELD_SET = new Set(GEO_FIELDS);
/** keys a JS object would order first, numerically, whatever the insertion order */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
/** a string JSON.stringify writes with escapes, or that may hold a lone surrogate */
const NEEDS_JSON = /["\\\u0000-\u001f\u007f\ud800-\udfff]/;
/** JSON.stringify writes a lone surrogate as a \\udXXX escape (a well-formed pair stays as it is) */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** A key set's members in UTF-16 code-unit order, each with its `{"key":` / `,"key":` prefix. */
interface KeyOrder {
  keys: string[];
  prefixes: string[];
}
/**
 * The few key sets real lines have (with and without `user`, with and without GeoIP fields), newest first, each
 * found by comparing the keys themselves (property names are interned: mostly pointer compares).
 */
const keyOrders: { keys: string[]; order: KeyOrder | null }[] = [];
const MAX_KEY_ORDERS = 8;

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keyOrder(keys: string[]): KeyOrder | null {
  for (const known of keyOrders) {
    if (sameKeys(known.keys, keys)) return known.order;
  }
  const sorted = [...keys].sort();
  // keys a JS object would not keep in insertion order are the library's to handle
  const order = sorted.some((k) => k === '__proto__' || INDEX_KEY.test(k))
    ? null
    : { keys: sorted, prefixes: sorted.map((k, i) => `${i ? ',' : '{'}${JSON.stringify(k)}:`) };
  keyOrders.unshift({ keys, order });
  if (keyOrders.length > MAX_KEY_ORDERS) keyOrders.pop();
  return order;
}

/**
 * The RFC 8785 form of an object whose values are all strings, finite numbers, booleans or null (every real
 * line of the 2015 day), without the general library's per-value dispatch: the keys in UTF-16 code-unit
 * order (worked out once per key set), values as JSON.stringify writes them — which is what RFC 8785
 * prescribes for such values — and plain strings without escapes written as they are. Null (the library's
 * rules apply) when the object has any other value, a key a JS object would not keep in insertion order
 * (array indices, `__proto__`), or a lone surrogate, so the result is always the library's (property test in
 * tests/unit/feed/fast-paths.test.ts).
 */
export function canonicalFlat(o: Record<string, unknown>): string | null {
  const order = keyOrder(Object.keys(o));
  if (!order) return null;
  let out = '';
  for (let i = 0; i < order.keys.length; i++) {
    const v = o[order.keys[i]!];
    let value: string;
    if (typeof v === 'string') {
      if (!NEEDS_JSON.test(v)) value = `"${v}"`;
      else {
        value = JSON.stringify(v);
        if (SURROGATE_ESCAPE.test(value)) return null;
      }
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return null;
      value = String(v);
    } else if (typeof v === 'boolean' || v === null) value = String(v);
    else return null;
    out += order.prefixes[i]! + value;
  }
  return order.keys.length ? `${out}}` : '{}';
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A JSON value with every lone surrogate in its strings (keys too) replaced by U+FFFD. */
function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k) as string, wellFormed(x)]));
  return v;
}
