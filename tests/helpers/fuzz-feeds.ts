import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isStrictIp } from '@/lib/feed/ip';
import { channelToWiki } from '@/lib/feed/irc-names';
import { ircSourceId } from '@/lib/feed/parse-irc2015';
import { ES_SAMPLE, fileLines, IRC_DAY, key, ROOT } from './ingest';

/**
 * Generators for the fuzzed-feed proof (tests/integration/fuzz-feeds.test.ts): real events of each source
 * format, made unique per run, and hostile variants of them. Each generated unit says what the pipeline must
 * do with it: `valid` (must be stored, under `key`), `bad` (must be dead-lettered; its original identity, if
 * any, must not be stored) or `maybe` (a mutation that may or may not stay valid: stored or dead-lettered,
 * never lost). Hostile values carry CANARY strings, which must never appear in a dead letter's reason.
 */
export const CANARY = 'CANARY7';
export const CANARY_IP = '198.51.100.77';

export type Verdict = 'valid' | 'bad' | 'maybe';
export interface Unit {
  verdict: Verdict;
  /** what to write: a JSON value (serialised) or raw bytes */
  value: unknown;
  raw?: Buffer;
  /** wiki + sourceId when known */
  key: string | null;
  op: string;
}

type Obj = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);

export const esBase = (): Obj[] => fileLines(ES_SAMPLE).map((l) => JSON.parse(l) as Obj).filter((e) => (e.meta as Obj).domain !== 'canary');
export const ircBase = (): Obj[] => fileLines(IRC_DAY).slice(5000, 5200).map((l) => JSON.parse(l) as Obj);
export const actionApiRows = (): Obj[] =>
  ((JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/realdata/lvwiki-action-api-recentchanges-2020-04-ores.json'), 'utf8')) as { query: { recentchanges: Obj[] } }).query.recentchanges);

/** Hostile values for a field: wrong types, oversized and broken text, canaries, deep nesting, anything. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, -1, 1e308, 2 ** 53, 'yes', '', [], {}, CANARY_IP, `${CANARY} \u0000`, `${CANARY}\ud800`, `${CANARY}${'x'.repeat(20_000)}`),
  fc.constant(JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown),
  fc.string({ maxLength: 40 }).map((s) => `${CANARY}${s}`),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Required fields of each format: removing one or giving it a non-matching value always makes the event bad. */
const REQUIRED = {
  es: { title: 512, user: 255, wiki: 64 } as Record<string, number>,
  irc: { page: 512, user: 255 } as Record<string, number>,
  api: { title: 512, user: 255 } as Record<string, number>,
};
const REQUIRED_PRESENCE = {
  es: ['meta', 'type', 'namespace', 'title', 'timestamp', 'user', 'bot', 'wiki'],
  irc: ['time', 'channel', 'page', 'user', 'isAnonymous', 'isRobot', 'isMinor', 'isNew', 'isUnpatrolled', 'namespace'],
  api: ['type', 'ns', 'title', 'rcid', 'timestamp'],
};

export type Format = keyof typeof REQUIRED;

/** A mutation of one valid event: [verdict, new value or raw bytes, name]. */
export function mutation(format: Format): fc.Arbitrary<(e: Obj) => { verdict: Verdict; value?: unknown; raw?: Buffer; op: string }> {
  const fields = REQUIRED_PRESENCE[format];
  const longField = Object.keys(REQUIRED[format]);
  return fc.oneof(
    // a required field removed
    fc.constantFrom(...fields).map((f) => (e: Obj) => {
      const c = clone(e);
      delete c[f];
      return { verdict: 'bad' as const, value: c, op: `drop ${f}` };
    }),
    // a required string field far over its limit, or holding NUL / a lone surrogate
    fc.tuple(fc.constantFrom(...longField), fc.constantFrom('long', 'nul', 'surrogate')).map(([f, how]) => (e: Obj) => {
      const v = how === 'long' ? `${CANARY}${'A'.repeat(REQUIRED[format][f]! + 1)}` : how === 'nul' ? `${CANARY}\u0000` : `${CANARY}\udc00x`;
      return { verdict: 'bad' as const, value: { ...clone(e), [f]: v }, op: `${how} ${f}` };
    }),
    // a required field of the wrong type (a number where a string goes, an object where a boolean goes)
    fc.constantFrom(...fields).map((f) => (e: Obj) => {
      const v = typeof e[f] === 'string' ? 12345 : typeof e[f] === 'boolean' ? { [CANARY]: CANARY_IP } : `${CANARY} ${CANARY_IP}`;
      return { verdict: 'bad' as const, value: { ...clone(e), [f]: v }, op: `retype ${f}` };
    }),
    // any field (known or new) set to a hostile value: may stay valid (an unknown field is ignored)
    fc.tuple(fc.oneof(fc.constantFrom(...Object.keys({ comment: 1, tags: 1, log_params: 1, length: 1, extra: 1 }), ...fields), fc.string({ maxLength: 8 })), hostileValue).map(
      ([f, v]) => (e: Obj) => ({ verdict: 'maybe' as const, value: { ...clone(e), [f]: v }, op: `set ${f}` }),
    ),
    // the serialised line cut short, bytes of broken UTF-8 spliced in, or random bytes
    fc.nat().map((n) => (e: Obj) => {
      const s = JSON.stringify(e);
      return { verdict: 'bad' as const, raw: Buffer.from(s.slice(0, 1 + (n % (s.length - 1)))), op: 'truncate' };
    }),
    fc.tuple(fc.nat(), fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82])).map(([n, bytes]) => (e: Obj) => {
      const s = Buffer.from(JSON.stringify(e));
      const at = 1 + (n % (s.length - 2));
      return { verdict: 'bad' as const, raw: Buffer.concat([s.subarray(0, at), Buffer.from(bytes), s.subarray(at)]), op: 'broken utf-8' };
    }),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => () => {
      const bytes = Buffer.from([0x5b, ...b.filter((x) => x !== 0x0a && x !== 0x0d)]); // "[" + bytes: never blank, never an object
      return { verdict: 'bad' as const, raw: bytes, op: 'random bytes' };
    }),
    // a JSON value that is not an event at all
    fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('meta' in v)).map((v) => () => ({ verdict: 'bad' as const, value: v ?? null, op: 'not an event' })),
    // nested deeper than the parser allows
    fc.integer({ min: 33, max: 3000 }).map((d) => (e: Obj) => ({
      verdict: 'bad' as const,
      raw: Buffer.from(`${JSON.stringify(e).slice(0, -1)},"x":${'['.repeat(d)}${']'.repeat(d)}}`),
      op: `nested ${d}`,
    })),
  );
}

/** Per-format: make a base event unique in this run (and return its identity). */
export const unique: Record<Format, (e: Obj, id: string) => { value: Obj; key: string }> = {
  es: (e, id) => {
    const v: Obj = { ...clone(e), meta: { ...(e.meta as Obj), id } };
    return { value: v, key: key(String(v.wiki), id) };
  },
  irc: (e, id) => {
    const v = { ...clone(e), page: `${String(e.page)} ${id}` };
    return { value: v, key: key('', id) }; // the real identity is a hash: see ircKey
  },
  api: (e, id) => {
    const rcid = Number(id.replace(/\D/g, '').slice(-12));
    return { value: { ...clone(e), rcid }, key: key('unknownwiki', `rc:${rcid}`) };
  },
};

/** The stored identity of a 2015 IRC line (wiki from its channel): the parser's own identity function. */
export function ircKey(obj: unknown): string | null {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  const o = obj as Obj;
  const wiki = typeof o.channel === 'string' ? channelToWiki(o.channel) : null;
  if (!wiki) return null;
  const anon = o.isAnonymous === true || (typeof o.user === 'string' && isStrictIp(o.user));
  return key(wiki.wiki, ircSourceId(o, anon));
}

/** One run's units: valid events with hostile ones between them (the first is always valid). */
export function units(format: Format, bases: Obj[]): fc.Arbitrary<(run: number) => Unit[]> {
  return fc
    .array(fc.tuple(fc.nat(bases.length - 1), fc.option(mutation(format), { freq: 2 })), { minLength: 2, maxLength: 18 })
    .map((plan) => (run: number) =>
      plan.map(([b, mut], i) => {
        const u = unique[format](bases[b]!, `fuzz-${run}-${i}-${1000 + i}`);
        const k = format === 'irc' ? ircKey(u.value) : u.key;
        if (!mut || i === 0) return { verdict: 'valid', value: u.value, key: k, op: 'valid' };
        const m = mut(u.value);
        return { verdict: m.verdict, value: m.value, raw: m.raw, key: m.verdict === 'maybe' && format === 'irc' ? ircKey(m.value) : k, op: m.op };
      }),
    );
}

/** A unit as the bytes of one line. */
export const lineOf = (u: Unit): Buffer => u.raw ?? Buffer.from(JSON.stringify(u.value) ?? 'null');
