import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedSpecs } from '@/lib/ingest/feeds';
import { runFeed, type FeedTotals } from '@/lib/ingest/ingester';
import type { Masker } from '@/lib/masking/mask';
import { createTestDb, type TestDb } from '../helpers/db';
import { ES_SAMPLE, fileLines, IRC_DAY, key, tempDir, testMasker } from '../helpers/ingest';
import { dumpAllTables, findLeaks } from '../helpers/leaks';

/**
 * Hostile input through the whole pipeline (replay file → parser → masking boundary → storeBatch): each
 * hostile line lands in dead_letter with a reason, the valid lines around it are stored, and no raw IP of
 * any event — hostile or valid — appears in any table. The feed spec is the production one (lib/ingest/
 * feeds.ts: time shift, pacing, resume), so a hostile timestamp that skews the shift is caught too.
 * (tests/unit/feed/hostile.test.ts covers the parsers alone.)
 */
let t: TestDb;
let dir: string;
let masker: Masker;

/** documentation-range canaries (RFC 5737 / 3849), one per hostile line that carries an address */
const canary = (i: number) => `198.51.100.${10 + i}`;
const CANARY_V6 = '2001:db8:dead:beef::17';
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

interface Hostile {
  name: string;
  line: string | Buffer;
  reason: RegExp;
}

function esHostile(): Hostile[] {
  const base = JSON.parse(fileLines(ES_SAMPLE)[0]!) as Record<string, unknown>;
  const meta = base.meta as Record<string, unknown>;
  const es = (i: number, over: Record<string, unknown>) => JSON.stringify({ ...base, meta: { ...meta, id: `hostile-es-${i}` }, user: canary(i), ...over });
  const goodUtf8 = es(5, {});
  return [
    { name: 'wrong type: bot', line: es(0, { bot: 'yes' }), reason: /field `bot` has the wrong type/ },
    { name: 'wrong type: namespace', line: es(1, { namespace: '0', comment: `from ${canary(1)}` }), reason: /field `namespace`/ },
    { name: 'wrong type: user', line: es(2, { user: 12345, comment: canary(2) }), reason: /field `user` has the wrong type/ },
    { name: 'huge title', line: es(3, { title: `${canary(3)} ${'A'.repeat(600)}` }), reason: /field `title` is too long/ },
    { name: 'huge line', line: es(4, { parsedcomment: `${canary(4)} `.repeat(90_000) }), reason: /line is larger than the size limit/ },
    { name: 'broken UTF-8', line: Buffer.concat([Buffer.from(goodUtf8.slice(0, 40)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(goodUtf8.slice(40))]), reason: /not valid UTF-8/ },
    { name: 'lone surrogate', line: es(6, { title: 'ab' }).replace('"title":"ab"', '"title":"a\\ud800b"'), reason: /field `title` contains invalid characters/ },
    { name: 'NUL in comment', line: es(7, { comment: 'a\u0000b' }), reason: /field `comment` contains invalid characters/ },
    { name: 'deeply nested', line: `${es(8, {}).slice(0, -1)},"log_params":${deep(5000)}}`, reason: /nested deeper than/ },
    { name: 'IP in the event id', line: es(9, { meta: { ...meta, id: `evt-${canary(9)}` } }), reason: /^masking: sourceId/ },
    { name: 'IPv6 canary, wrong type', line: es(10, { user: CANARY_V6, timestamp: 'now' }), reason: /field `timestamp`/ },
    { name: 'escaped NUL in log_params', line: es(11, { type: 'log', log_params: { target: canary(11), note: 'a\u0000b' } }), reason: /field `log_params`/ },
    { name: 'lone surrogate in a log_params key', line: es(12, { type: 'log', log_params: { '\ud800': canary(12) } }), reason: /field `log_params`/ },
    { name: 'page size beyond 32 bits', line: es(13, { length: { old: 1, new: 2 ** 40 } }), reason: /field `length.new`/ },
    { name: 'timestamp in the year 275760', line: es(14, { timestamp: 8.64e12 }), reason: /field `timestamp`/ },
    { name: 'not JSON', line: `{"meta": "${canary(15)}"`, reason: /not valid JSON/ },
    { name: 'JSON array', line: `["${canary(16)}"]`, reason: /\(root\)/ },
  ];
}

function ircHostile(): Hostile[] {
  const base = JSON.parse(fileLines(IRC_DAY).slice(0, 50).find((l) => l.includes('"isAnonymous":true'))!) as Record<string, unknown>;
  const irc = (i: number, over: Record<string, unknown>) => JSON.stringify({ ...base, user: canary(i), isAnonymous: true, ...over });
  const good = irc(40, {});
  return [
    { name: 'bogus IP as anonymous user', line: irc(30, { user: '999.1.1.1' }), reason: /^masking: user/ },
    { name: 'address with prefix as anonymous user', line: irc(31, { user: `${canary(31)}/24` }), reason: /^masking: user/ },
    { name: 'delta as string', line: irc(32, { delta: '12' }), reason: /field `delta`/ },
    { name: 'bad time', line: irc(33, { time: 'yesterday' }), reason: /field `time`/ },
    { name: 'unknown channel', line: irc(34, { channel: `#${canary(34)}` }), reason: /field `channel`/ },
    { name: 'huge page', line: irc(35, { page: `User talk:${canary(35)}${'x'.repeat(1000)}` }), reason: /field `page` is too long/ },
    { name: 'deeply nested', line: irc(36, { extra: JSON.parse(deep(40)) as unknown }), reason: /nested deeper than/ },
    { name: 'broken UTF-8', line: Buffer.concat([Buffer.from(good.slice(0, 30)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(good.slice(30))]), reason: /not valid UTF-8/ },
    { name: 'country as a name', line: irc(37, { countryIsoCode: 'Australia' }), reason: /field `countryIsoCode`/ },
    { name: 'time in the year 9999 (would skew the replay shift)', line: irc(38, { time: '9999-12-31T23:59:59.999Z' }), reason: /field `time`/ },
  ];
}

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('ingest-hostile');
  masker = testMasker(path.join(dir, 'keys'));
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Valid lines with a hostile one after every other valid line; the first line is valid (format detection). */
function interleave(valid: string[], hostile: Hostile[]): (string | Buffer)[] {
  const out: (string | Buffer)[] = [];
  valid.forEach((v, i) => {
    out.push(v);
    if (i % 2 === 1 && hostile[(i - 1) / 2]) out.push(hostile[(i - 1) / 2]!.line);
  });
  return out;
}

async function ingest(name: string, lines: (string | Buffer)[]): Promise<FeedTotals> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')])));
  const [spec] = feedSpecs({ MASKPATROL_FEED_SOURCE: 'replay', MASKPATROL_REPLAY_FILE: file, MASKPATROL_REPLAY_SPEED: 'max' }, false);
  // a failure the store keeps retrying (not a refused event: those are dead-lettered) must show as a diff
  const signal = AbortSignal.timeout(30_000);
  return runFeed(spec!, { prisma: () => t.prisma, masker, batchSize: 7 }, signal);
}

const storedIds = async (source: string) =>
  (await t.sql('SELECT wiki, "sourceId" FROM edit WHERE source = $1 ORDER BY id', [source])).map((r) => key(String(r.wiki), String(r.sourceId)));
const deadReasons = async (source: string) => (await t.sql('SELECT reason FROM dead_letter WHERE source = $1 ORDER BY id', [source])).map((r) => String(r.reason));

describe('hostile input through the whole pipeline', () => {
  it.each([
    ['eventstreams', () => ({ valid: fileLines(ES_SAMPLE).slice(0, 40), hostile: esHostile() })],
    ['irc-2015', () => ({ valid: fileLines(IRC_DAY).slice(100, 130), hostile: ircHostile() })],
  ] as const)('%s: hostile lines are dead-lettered with a reason, valid neighbours stored', async (source, make) => {
    const { valid, hostile } = make();
    expect(valid.length / 2).toBeGreaterThanOrEqual(hostile.length);
    const totals = await ingest(`${source}.jsonl`, interleave(valid, hostile));
    const reasons = await deadReasons(source);
    expect(reasons).toHaveLength(hostile.length);
    hostile.forEach((h, i) => expect(reasons[i], h.name).toMatch(h.reason));
    expect(totals).toEqual({ read: valid.length + hostile.length, stored: valid.length, duplicates: 0, dead: hostile.length });
    const stored = await storedIds(source);
    expect(stored).toHaveLength(valid.length);
    expect(new Set(stored).size).toBe(valid.length);
    const state = (await t.sql(`SELECT "eventsTotal"::int AS e, "deadTotal"::int AS d FROM feed_state WHERE feed = $1`, [`replay:${source}.jsonl`]))[0];
    expect(state).toEqual({ e: valid.length, d: hostile.length });
    // the replay shift kept the valid events' times sane (a hostile timestamp must not move them)
    const years = await t.sql(`SELECT min(extract(year FROM ts))::int AS lo, max(extract(year FROM ts))::int AS hi FROM edit WHERE source = $1`, [source]);
    expect(years[0]).toEqual({ lo: new Date().getUTCFullYear(), hi: new Date().getUTCFullYear() });
  });

  it('no raw IP of any event, hostile or valid, is in any table', async () => {
    expect(await t.sql('SELECT count(*)::int AS n FROM edit')).toEqual([{ n: 70 }]); // both feeds ran
    const validIps = [...fileLines(ES_SAMPLE).slice(0, 40), ...fileLines(IRC_DAY).slice(100, 130)]
      .map((l) => (JSON.parse(l) as { user: string }).user)
      .filter((u) => /^\d+\.\d+\.\d+\.\d+$|:/.test(u));
    expect(validIps.length).toBeGreaterThan(3);
    const canaries = [...Array.from({ length: 41 }, (_, i) => canary(i)), CANARY_V6, ...validIps];
    const dump = await dumpAllTables(t.sql);
    expect(dump.text).toContain('dead_letter: ');
    expect(findLeaks(dump.text, canaries)).toEqual([]);
  });
});
