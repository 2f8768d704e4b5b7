import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStreamsFeed } from '@/lib/feed/eventstreams-client';
import { handleIngest } from '@/lib/ingest/endpoint';
import { feedSpecs } from '@/lib/ingest/feeds';
import { runFeed, type FeedSpec } from '@/lib/ingest/ingester';
import type { Masker } from '@/lib/masking/mask';
import { createTestDb, type TestDb } from '../helpers/db';
import { actionApiRows, CANARY_IP, esBase, ircBase, lineOf, units, type Format, type Unit } from '../helpers/fuzz-feeds';
import { key, tempDir, testMasker } from '../helpers/ingest';
import { ingestEvent, signedHeaders } from '../helpers/ingest-endpoint';

/**
 * Proof suite (step 11, part 4): fast-check generates runs of real events of every source format with
 * malformed and hostile ones between them, and each run goes through the real path — parser → masking
 * boundary → storeBatch — into the test database: EventStreams as JSONL replay and as an SSE stream (the
 * live client with a stand-in fetch), Action API responses (replayed JSONL of response documents), the 2015
 * IRC replay format, and signed POST /api/ingest bodies. Properties: nothing throws; every valid event is
 * stored; every bad event is dead-lettered with a reason (stored + dead-lettered = read, so nothing is lost);
 * no bad event's identity is stored; reasons never quote a value (the canary IP). The last test plants a
 * fault — a feed path that drops rejected events instead of dead-lettering them — and shows the property fails.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
let t: TestDb;
let dir: string;
let masker: Masker;
let run = 0;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('fuzz-feeds');
  masker = testMasker(path.join(dir, 'keys'));
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const stored = async () => new Set((await t.sql('SELECT wiki, "sourceId" FROM edit')).map((r) => key(String(r.wiki), String(r.sourceId))));
const deadReasons = async (feed: string) => (await t.sql('SELECT reason FROM dead_letter WHERE feed = $1', [feed])).map((r) => String(r.reason));

/** The property every source shares, given what the run read, stored and dead-lettered. */
async function accountFor(us: Unit[], feed: string, totals: { read: number; stored: number; duplicates: number; dead: number }, before: Set<string>) {
  const after = await stored();
  const reasons = await deadReasons(feed);
  expect(totals.read, 'every unit read').toBe(us.length);
  expect(totals.stored + totals.dead + totals.duplicates, 'stored + dead-lettered = read').toBe(us.length);
  expect(after.size - before.size).toBe(totals.stored);
  expect(reasons).toHaveLength(totals.dead);
  for (const u of us) {
    if (u.verdict === 'valid') expect(after.has(u.key!), `valid unit stored (${u.op})`).toBe(true);
    if (u.verdict === 'bad' && u.key) expect(after.has(u.key), `bad unit not stored (${u.op})`).toBe(false);
  }
  expect(totals.dead).toBeGreaterThanOrEqual(us.filter((u) => u.verdict === 'bad').length);
  for (const r of reasons) {
    expect(r.length).toBeGreaterThan(3);
    expect(r.length).toBeLessThan(400);
    expect(r).not.toContain(CANARY_IP);
  }
}

/** Replay a file through the production feed spec (format detection, time shift, cursor). */
async function replay(us: Unit[], lines: Buffer[], name: string, alter?: (s: FeedSpec) => FeedSpec) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  const [spec] = feedSpecs({ MASKPATROL_FEED_SOURCE: 'replay', MASKPATROL_REPLAY_FILE: file, MASKPATROL_REPLAY_SPEED: 'max' }, false);
  const s = alter ? alter(spec!) : spec!;
  const before = await stored();
  const totals = await runFeed(s, { prisma: () => t.prisma, masker, batchSize: 5 }, AbortSignal.timeout(30_000));
  await accountFor(us, s.name, totals, before);
}

/** Action API: value units become rows of response documents (up to three a line); raw units a whole line each. */
function actionApiLines(us: Unit[]): { lines: Buffer[]; units: Unit[] } {
  const lines: Buffer[] = [];
  const out: Unit[] = [];
  let rows: unknown[] = [];
  const flush = () => {
    if (rows.length) lines.push(Buffer.from(JSON.stringify({ batchcomplete: true, query: { recentchanges: rows } })));
    rows = [];
  };
  for (const u of us) {
    out.push(u);
    if (u.raw) {
      flush();
      lines.push(u.raw);
    } else {
      rows.push(u.value);
      if (rows.length === 3) flush();
    }
  }
  flush();
  return { lines, units: out };
}

const property = (format: Format, bases: () => Record<string, unknown>[], body: (us: Unit[], run: number) => Promise<void>) => {
  const b = bases();
  return fc.asyncProperty(units(format, b), async (make) => {
    const r = ++run;
    await body(make(r), r);
  });
};

describe('fuzzed feeds: hostile events of every format through parse → mask → store', () => {
  it('EventStreams JSONL replay', async () => {
    await fc.assert(property('es', esBase, (us, r) => replay(us, us.map(lineOf), `es-${r}.jsonl`)), { numRuns: RUNS });
  });

  it('2015 IRC replay', async () => {
    await fc.assert(property('irc', ircBase, (us, r) => replay(us, us.map(lineOf), `irc-${r}.jsonl`)), { numRuns: RUNS });
  });

  it('Action API response documents (replayed JSONL)', async () => {
    await fc.assert(
      property('api', actionApiRows, async (us, r) => {
        const { lines, units: all } = actionApiLines(us);
        await replay(all, lines, `api-${r}.jsonl`);
      }),
      { numRuns: RUNS },
    );
  });

  it('EventStreams over SSE (the live client, a stand-in fetch)', async () => {
    await fc.assert(
      property('es', esBase, async (us, r) => {
        const body = Buffer.concat(us.flatMap((u, i) => [Buffer.from(`: heartbeat\nid: ${i + 1}\ndata: `), lineOf(u), Buffer.from('\n\n')]));
        const stop = new AbortController();
        let calls = 0;
        const fetch = (async () => {
          if (calls++ > 0) {
            stop.abort();
            throw new DOMException('Aborted', 'AbortError');
          }
          return new Response(new Blob([body]).stream(), { status: 200, headers: { 'content-type': 'text/event-stream' } });
        }) as unknown as typeof globalThis.fetch;
        const spec: FeedSpec = { name: `sse-${r}`, open: (cursor) => eventStreamsFeed({ contact: 'fuzz', fetch, lastEventId: cursor, signal: stop.signal, sleep: async () => {} }) };
        const before = await stored();
        const totals = await runFeed(spec, { prisma: () => t.prisma, masker, batchSize: 5 }, stop.signal);
        await accountFor(us, spec.name, totals, before);
      }),
      { numRuns: RUNS },
    );
  });

  it('signed POST /api/ingest bodies', async () => {
    const SECRET = 'fuzz-ingest-secret-0123456789-abcdefghij';
    const withIp = (v: unknown, i: number) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { ip: `192.0.2.${i % 250}`, userAgent: 'fuzz', ...(v as object) } : v);
    const base = () => esBase().map((e, i) => ({ ...ingestEvent(), ...e, ip: `192.0.2.${i % 250}`, userAgent: "fuzz" }));
    await fc.assert(
      property('es', base, async (us, r) => {
        const events = us.map((u, i) => (u.raw ? u.raw.toString('latin1') : withIp(u.value, i)));
        const text = JSON.stringify({ events });
        const feed = `ingest-fuzz-${r}`;
        const before = await stored();
        const req = new Request('http://localhost/api/ingest', { method: 'POST', headers: signedHeaders(SECRET, text), body: text });
        const res = await handleIngest({ headers: req.headers, body: req.body }, { prisma: () => t.prisma, masker: () => masker, secret: () => Buffer.from(SECRET), feed });
        expect(res.status).toBe(200);
        const c = res.body as { received: number; stored: number; duplicates: number; deadLettered: number; ignored: number };
        expect(c.ignored).toBe(0);
        await accountFor(us, feed, { read: c.received, stored: c.stored, duplicates: c.duplicates, dead: c.deadLettered }, before);
        // each dead letter names its event; together with the stored ones they cover every index once
        const after = await stored();
        const deadIdx = new Set((await deadReasons(feed)).map((x) => Number(/^event (\d+): /.exec(x)?.[1])));
        us.forEach((u, i) => expect(Number(!!u.key && after.has(u.key) && !before.has(u.key)) + Number(deadIdx.has(i)), `event ${i} (${u.op})`).toBe(1));
      }),
      { numRuns: RUNS },
    );
  });

  it('/api/ingest: a deeply nested event is dead-lettered alone, its neighbours in the body are stored (found by this fuzz)', async () => {
    const SECRET = 'fuzz-ingest-secret-0123456789-abcdefghij';
    const ok = [ingestEvent(), ingestEvent()];
    const deepEvent = `${JSON.stringify(ingestEvent()).slice(0, -1)},"log_params":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const text = `{"events":[${JSON.stringify(ok[0])},${deepEvent},${JSON.stringify(ok[1])}]}`;
    const req = new Request('http://localhost/api/ingest', { method: 'POST', headers: signedHeaders(SECRET, text), body: text });
    const res = await handleIngest({ headers: req.headers, body: req.body }, { prisma: () => t.prisma, masker: () => masker, secret: () => Buffer.from(SECRET), feed: 'ingest-deep' });
    expect(res).toEqual({ status: 200, body: { received: 3, stored: 2, duplicates: 0, deadLettered: 1, ignored: 0 } });
    expect(await deadReasons('ingest-deep')).toEqual(['event 1: input is nested deeper than 32 levels']);
  });

  it('fails when a feed path drops rejected events instead of dead-lettering them (planted fault)', async () => {
    const dropping = (s: FeedSpec): FeedSpec => ({
      name: s.name,
      async *open(cursor, signal) {
        for await (const item of s.open(cursor, signal)) if (item.kind !== 'dead-letter') yield item;
      },
    });
    const r = await fc.check(property('es', esBase, (us, n) => replay(us, us.map(lineOf), `planted-${n}.jsonl`, dropping)), { numRuns: 30 });
    expect(r.failed).toBe(true);
    expect(String(r.errorInstance)).toMatch(/every unit read|stored \+ dead-lettered = read/);
  });
});
