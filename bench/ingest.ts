/**
 * npm run bench:ingest [-- --db pglite|postgres|both] [--events N] [--repeat R] [--batch 500] [--flush-ms 200] (each repeat also runs the pipeline with scoring and clustering on, for the step-4 ratio)
 *                       [--warmup 5000] (an untimed pass over the first N events, with scoring and clustering, before the timed repeats; 0: none)
 *                       [--pglite socket|direct] [--pipeline-only] [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
 *
 * The ingest pipeline end to end on the real 2015 day (fixtures/realdata, 39,244 events): parse + mask +
 * store through runFeed at replay speed "max" from a fresh cursor, on each database. In the same run and
 * on the same database, a baseline: the same number of pre-built edit rows inserted set-based
 * (json_to_recordset, one transaction per batch) into a table with the edit table's columns and indexes —
 * the storage floor the pipeline is compared to, so numbers from a loaded or different machine compare as
 * ratios. Parse-only and mask-only rates show where the time goes. Each repeat starts from empty tables.
 * Each repeat also runs the pipeline as the server does since step 9 — scoring, clustering AND the IP-context
 * lookup (the shipped data, loaded once before the runs) — for the with/without-context ratio in the same run.
 *
 * PGlite runs as `npm start` runs it: a data directory on disk, shared over its Unix socket, the ingester
 * talking to it through `pg` (--pglite direct: the in-process adapter instead). PostgreSQL: a throwaway
 * database `bench_ingest_<pid>` on a local server, dropped at the end. Results: a table on stdout and
 * bench/results/ingest-<db>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgMigrationFactory, prismaForPg, prismaForPglite } from '../lib/db/client';
import { openEmbedded, shareOverSocket } from '../lib/db/embedded';
import type { PrismaClient } from '../lib/db/generated/client';
import { deployMigrations } from '../lib/db/migrate';
import { socketPoolConfig } from '../lib/db/socket';
import { loadFeedConfig } from '../lib/feed/config';
import { createFeed } from '../lib/feed/create-feed';
import type { FeedItem } from '../lib/feed/result';
import type { RawEdit } from '../lib/feed/types';
import { DEFAULT_REPLAY_FILE } from '../lib/ingest/feeds';
import { ClusterTracker } from '../lib/clustering/tracker';
import { createScorer } from '../lib/scoring/score';
import { DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_MS, runFeed, type FeedSpec } from '../lib/ingest/ingester';
import { editRow } from '../lib/ingest/store';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import { defaultSources, IpContextDb } from '../lib/context/lookup';
import { writeReport } from './report';

type DbKind = 'postgres' | 'pglite';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const DBS: DbKind[] = (() => {
  const d = arg('db') ?? 'both';
  if (d === 'both') return ['postgres', 'pglite'];
  if (d === 'postgres' || d === 'pglite') return [d];
  throw new Error('--db must be pglite, postgres or both');
})();
const LIMIT = Number(arg('events')) || Infinity;
const REPEAT = Math.max(1, Number(arg('repeat')) || 3);
/** events of the untimed warm-up pass before the timed repeats (0: none) */
const WARMUP = arg('warmup') === undefined ? 5000 : Math.max(0, Number(arg('warmup')) || 0);
const BATCH = Number(arg('batch')) || undefined; // undefined: runFeed's default
const FLUSH_MS = Number(arg('flush-ms')) || undefined;
/** skip the parse-only, mask-only and baseline phases (for profiling the pipeline with --cpu-prof) */
const PIPELINE_ONLY = process.argv.includes('--pipeline-only');
const PGLITE_MODE = arg('pglite') === 'direct' ? 'direct' : 'socket';
const PG_ADMIN = arg('pg-url') ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const FILE = path.resolve(arg('file') ?? DEFAULT_REPLAY_FILE);
const TARGETS = { postgres: { eventsPerSec: 10_000, daySeconds: 10 }, pglite: { eventsPerSec: 5_000, daySeconds: null } } as const;
const FLOOR_BATCH = BATCH ?? DEFAULT_BATCH_SIZE;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bi-'));

// ---------------------------------------------------------------------------------------------------- helpers
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The replay feed exactly as the ingester builds it (MASKPATROL_FEED_SOURCE=replay, speed max), capped. */
function replayFeed(cursor: string | null, signal: AbortSignal, limit = LIMIT): AsyncIterable<FeedItem> {
  const config = loadFeedConfig({ MASKPATROL_FEED_SOURCE: 'replay', MASKPATROL_REPLAY_FILE: FILE, MASKPATROL_REPLAY_SPEED: 'max' });
  const feed = createFeed(config, { cursor, signal });
  if (!Number.isFinite(limit)) return feed;
  return (async function* () {
    let n = 0;
    for await (const item of feed) {
      if (item.kind !== 'checkpoint' && n++ >= limit) return;
      yield item;
    }
  })();
}

/** Samples RSS and heap while a phase runs (the event loop turns at every database round trip). */
function memorySampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const t = setInterval(sample, 20);
  return () => (clearInterval(t), sample(), { rss, heap });
}

/** Full GC between phases when node runs with --expose-gc (npm run bench:ingest does). */
function collectGarbage() {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------------------------------------------- databases
interface BenchDb {
  kind: DbKind;
  label: string;
  prisma: PrismaClient;
  /** the plain pg client the server stores batches through (lib/db/sql.ts); absent: --pglite direct */
  sql?: pg.Pool;
  close(): Promise<void>;
}

async function openPostgres(): Promise<BenchDb> {
  const host = new URL(PG_ADMIN).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host)) throw new Error(`refusing a non-local server (${host})`);
  const name = `bench_ingest_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  try {
    await deployMigrations(pgMigrationFactory({ connectionString: u.toString() }));
  } catch (err) {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw err;
  }
  const prisma = prismaForPg({ connectionString: u.toString(), max: 10 });
  const sql = new pg.Pool({ connectionString: u.toString(), max: 2 });
  const version = await prisma.$queryRawUnsafe<{ v: string }[]>(`SELECT current_setting('server_version') AS v`).then(
    (r) => r[0]?.v ?? '?',
    () => '?',
  );
  return {
    kind: 'postgres',
    label: `PostgreSQL ${version} (127.0.0.1, database ${name})`,
    prisma,
    sql,
    async close() {
      await sql.end();
      await prisma.$disconnect();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function openPglite(): Promise<BenchDb> {
  const dataDir = path.join(tmp, 'data');
  const embedded = await openEmbedded(dataDir, 'bench');
  await deployMigrations(new PrismaPGlite(embedded.pglite));
  if (PGLITE_MODE === 'direct') {
    const prisma = prismaForPglite(embedded.pglite);
    return {
      kind: 'pglite',
      label: 'PGlite (data directory on disk, in-process adapter)',
      prisma,
      async close() {
        await prisma.$disconnect();
        await embedded.close();
      },
    };
  }
  const sharing = await shareOverSocket(embedded);
  const prisma = prismaForPg(socketPoolConfig(sharing.socketDir, 8));
  const sql = new pg.Pool(socketPoolConfig(sharing.socketDir, 2));
  return {
    kind: 'pglite',
    label: 'PGlite (data directory on disk, shared over its Unix socket, as `npm start`)',
    prisma,
    sql,
    async close() {
      await sql.end();
      await prisma.$disconnect();
      await sharing.stop();
      await embedded.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------- phases
/** Parse only: the replay feed (read, gunzip, split, validate, shift time), nothing else. */
async function parseOnly(): Promise<{ events: number; rate: number; edits: RawEdit[] }> {
  const edits: RawEdit[] = [];
  let events = 0;
  const t0 = process.hrtime.bigint();
  for await (const item of replayFeed(null, new AbortController().signal)) {
    if (item.kind === 'edit') edits.push(item.edit);
    if (item.kind !== 'checkpoint') events++;
  }
  return { events, rate: events / secs(t0), edits };
}

/** Mask only: the boundary over pre-parsed events (fresh key store, one core). */
function maskOnly(edits: RawEdit[]): { rate: number; rows: Record<string, unknown>[] } {
  const masker = new Masker({ keys: new KeyRing(fs.mkdtempSync(path.join(tmp, 'k-'))), limits: { v4: 16, v6: 19 } });
  const masked = new Array<ReturnType<Masker['maskEdit']>>(edits.length);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < edits.length; i++) masked[i] = masker.maskEdit(edits[i]!);
  const rate = edits.length / secs(t0);
  return { rate, rows: masked.map((m) => editRow(m.masked)) };
}

const FLOOR_COLUMNS = `wiki text, "sourceId" text, source text, "rcId" bigint, "revId" bigint, "oldRevId" bigint, type text,
  namespace int, title text, ts timestamptz, "actorKind" text, "actorName" text, epoch text, "ipKey" text, "ipFamily" int,
  range16 text, range24 text, range32 text, range48 text, range64 text, "extraRanges" jsonb, "vaultId" uuid, "uaKey" text,
  "isAnon" bool, "isTemp" bool, "isBot" bool, "isMinor" bool, "isNew" bool, "isPatrolled" bool, comment text,
  "sizeOld" int, "sizeNew" int, "sizeDelta" int, tags text[], "logType" text, "logAction" text, "logParams" jsonb,
  "serverUrl" text, country text, "oresDamaging" float8, "oresGoodfaith" float8, mentions jsonb`;
const FLOOR_NAMES = FLOOR_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]).join(', ');

/**
 * The storage floor: the same rows (already masked and shaped), inserted set-based in batches of the
 * pipeline's size, one transaction each, into a table with edit's columns, defaults and indexes.
 */
async function floor(prisma: PrismaClient, rows: Record<string, unknown>[], sql?: pg.Pool): Promise<number> {
  await prisma.$executeRawUnsafe('DROP TABLE IF EXISTS bench_floor');
  await prisma.$executeRawUnsafe('CREATE TABLE bench_floor (LIKE edit INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY)');
  const batches: string[] = [];
  for (let i = 0; i < rows.length; i += FLOOR_BATCH) batches.push(JSON.stringify(rows.slice(i, i + FLOOR_BATCH)));
  const insert = `INSERT INTO bench_floor (${FLOOR_NAMES}) SELECT ${FLOOR_NAMES} FROM json_to_recordset($1::json) AS t(${FLOOR_COLUMNS})`;
  const t0 = process.hrtime.bigint();
  // through the same client as the pipeline's store (plain pg when it has one): one statement, one transaction
  for (const json of batches)
    if (sql) await sql.query(insert, [json]);
    else await prisma.$transaction(async (tx) => void (await tx.$executeRawUnsafe(insert, json)));
  const rate = rows.length / secs(t0);
  await prisma.$executeRawUnsafe('DROP TABLE bench_floor');
  return rate;
}

interface PipelineRun {
  events: number;
  stored: number;
  dead: number;
  seconds: number;
  rate: number;
  batches: number;
  /** wall time spent inside storeBatch (a store runs while the next batch is parsed and masked) */
  storeSeconds: number;
  peakRss: number;
  peakHeap: number;
}

/** The full pipeline from a fresh cursor: runFeed over the replay feed, masking and storing. */
async function pipeline(prisma: PrismaClient, sql: pg.Pool | undefined, analysis = false, context: IpContextDb | null = null, limit = LIMIT): Promise<PipelineRun> {
  await prisma.$executeRawUnsafe('TRUNCATE edit, vault_record, dead_letter, feed_state, cluster CASCADE');
  await prisma.$executeRawUnsafe('VACUUM ANALYZE edit');
  const masker = new Masker({ keys: new KeyRing(fs.mkdtempSync(path.join(tmp, 'k-'))), limits: { v4: 16, v6: 19 }, context });
  const spec: FeedSpec = { name: 'bench-replay', open: (cursor, signal) => replayFeed(cursor, signal, limit) };
  let batches = 0;
  let storeMs = 0;
  const stopMem = memorySampler();
  const t0 = process.hrtime.bigint();
  const totals = await runFeed(
    spec,
    {
      prisma: () => prisma,
      sql: sql ? () => sql : undefined,
      masker,
      // step 4: the revert-risk score and the cluster engine on the hot path, as the server runs them
      ...(analysis ? { scorer: createScorer(), clusters: new ClusterTracker() } : {}),
      batchSize: BATCH,
      flushMs: FLUSH_MS,
      onBatch: (_f, _r, ms) => void (batches++, (storeMs += ms)),
    },
    new AbortController().signal,
  );
  const seconds = secs(t0);
  const mem = stopMem();
  const [check] = await prisma.$queryRawUnsafe<{ edits: bigint; vault: bigint; cursor: string | null }[]>(
    `SELECT (SELECT count(*) FROM edit) AS edits, (SELECT count(*) FROM vault_record) AS vault,
            (SELECT cursor FROM feed_state WHERE feed = 'bench-replay') AS cursor`,
  );
  if (Number(check?.edits) !== totals.stored) throw new Error(`stored ${totals.stored} but the edit table holds ${check?.edits}`);
  const events = totals.read;
  return { events, stored: totals.stored, dead: totals.dead, seconds, rate: events / seconds, batches, storeSeconds: storeMs / 1000, peakRss: mem.rss, peakHeap: mem.heap };
}

// ---------------------------------------------------------------------------------------------------- main
async function benchDb(kind: DbKind) {
  const db = kind === 'postgres' ? await openPostgres() : await openPglite();
  try {
    console.log(`\n== ${db.label}`);
    const runs: { parse: number; floor: number; mask: number; run: PipelineRun; analysed: PipelineRun; withContext: PipelineRun }[] = [];
    const context = new IpContextDb(defaultSources());
    if (WARMUP > 0) {
      // untimed: the first WARMUP events through the whole pipeline with scoring and clustering, so the timed runs
      // measure compiled code, as a server that has been ingesting for a while runs it (the first timed repeat was
      // otherwise a cold start for the analysis code)
      const w = await pipeline(db.prisma, db.sql, true, null, WARMUP);
      console.log(`warm-up (untimed): ${fmt(w.events)} events with scoring and clustering`);
    }
    for (let r = 0; r < REPEAT; r++) {
      // the pipeline first, while this process holds nothing else, so its peak memory is its own
      collectGarbage();
      const run = await pipeline(db.prisma, db.sql);
      if (PIPELINE_ONLY) {
        console.log(
          `run ${r + 1}/${REPEAT}: pipeline ${fmt(run.rate)} events/s (${run.seconds.toFixed(2)} s, ${run.batches} batches, ` +
            `storing ${run.storeSeconds.toFixed(2)} s) · load ${os.loadavg()[0]!.toFixed(2)}`,
        );
        continue;
      }
      collectGarbage();
      const analysed = await pipeline(db.prisma, db.sql, true);
      collectGarbage();
      const withContext = await pipeline(db.prisma, db.sql, true, context);
      const parse = await parseOnly();
      const mask = maskOnly(parse.edits);
      const f = await floor(db.prisma, mask.rows, db.sql);
      runs.push({ parse: parse.rate, floor: f, mask: mask.rate, run, analysed, withContext });
      console.log(
        `run ${r + 1}/${REPEAT}: pipeline ${fmt(run.rate)} events/s (${run.seconds.toFixed(2)} s, ${run.batches} batches, ` +
          `storing ${run.storeSeconds.toFixed(2)} s) · with scoring+clustering ${fmt(analysed.rate)} events/s ` +
          `(${analysed.seconds.toFixed(2)} s, ×${(analysed.rate / run.rate).toFixed(2)}) · + IP context ${fmt(withContext.rate)} events/s ` +
          `(×${(withContext.rate / analysed.rate).toFixed(2)}) · ` +
          `baseline ${fmt(f)} rows/s · ratio ${(run.rate / f).toFixed(2)} · parse-only ${fmt(parse.rate)}/s · ` +
          `mask-only ${fmt(mask.rate)}/s · peak RSS ${mib(run.peakRss)} · load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
    if (!runs.length) return null;
    const last = runs[runs.length - 1]!.run;
    const result = {
      db: kind,
      label: db.label,
      file: path.relative(process.cwd(), FILE),
      events: last.events,
      stored: last.stored,
      dead: last.dead,
      batchSize: BATCH ?? DEFAULT_BATCH_SIZE,
      flushMs: FLUSH_MS ?? DEFAULT_FLUSH_MS,
      repeat: REPEAT,
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? '',
      loadAvg: os.loadavg(),
      parseOnlyEventsPerSec: median(runs.map((x) => x.parse)),
      maskOnlyEventsPerSec: median(runs.map((x) => x.mask)),
      baselineRowsPerSec: median(runs.map((x) => x.floor)),
      pipelineEventsPerSec: median(runs.map((x) => x.run.rate)),
      pipelineSeconds: median(runs.map((x) => x.run.seconds)),
      analysedEventsPerSec: median(runs.map((x) => x.analysed.rate)),
      analysedSeconds: median(runs.map((x) => x.analysed.seconds)),
      ratioAnalysedToPipeline: median(runs.map((x) => x.analysed.rate / x.run.rate)),
      contextEventsPerSec: median(runs.map((x) => x.withContext.rate)),
      ratioContextToAnalysed: median(runs.map((x) => x.withContext.rate / x.analysed.rate)),
      ratioPipelineToBaseline: median(runs.map((x) => x.run.rate / x.floor)),
      peakRssBytes: Math.max(...runs.map((x) => x.run.peakRss)),
      peakHeapBytes: Math.max(...runs.map((x) => x.run.peakHeap)),
      target: TARGETS[kind],
      runs: runs.map((x) => ({ baselineRowsPerSec: x.floor, maskOnlyEventsPerSec: x.mask, ...x.run })),
      measuredAt: new Date().toISOString(),
    };
    return result;
  } finally {
    await db.close();
  }
}

async function main() {
  const load = os.loadavg();
  console.log(
    `maskpatrol ingest benchmark — ${path.basename(FILE)}, ${REPEAT} run(s) per database, node ${process.version}, ` +
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const results = [];
  for (const kind of DBS) {
    const r = await benchDb(kind);
    if (r) results.push(r);
  }
  if (PIPELINE_ONLY) return;

  const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  fs.mkdirSync(outDir, { recursive: true });
  for (const r of results) fs.writeFileSync(path.join(outDir, `ingest-${r.db}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeReport(
    'ingest',
    results.flatMap((r) => [
      {
        metric: `pipeline, ${r.db} (${fmt(r.events)} real events)`,
        value: Math.round(r.pipelineEventsPerSec),
        unit: 'events/s',
        baseline: { label: 'set-based insert of the same rows', value: Math.round(r.baselineRowsPerSec), unit: 'rows/s' },
        ratio: +r.ratioPipelineToBaseline.toFixed(2),
        target: targetText(r.db, r.pipelineEventsPerSec, r.pipelineSeconds, r.events).replace(/ (met|NOT met)/g, ''),
        met: r.pipelineEventsPerSec >= TARGETS[r.db].eventsPerSec && (TARGETS[r.db].daySeconds === null || r.events < 39_244 || r.pipelineSeconds < TARGETS[r.db].daySeconds!),
      },
      {
        metric: `pipeline with scoring and clustering, ${r.db}`,
        value: Math.round(r.analysedEventsPerSec),
        unit: 'events/s',
        baseline: { label: 'the plain pipeline', value: Math.round(r.pipelineEventsPerSec), unit: 'events/s' },
        ratio: +r.ratioAnalysedToPipeline.toFixed(2),
        target: null,
        met: null,
      },
    ]),
  );

  console.log(`\nmedians of ${REPEAT} run(s); load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const head = ['', 'parse only', 'mask only', 'baseline insert', 'pipeline', 'pipeline/baseline', 'day wall time', '+ scoring & clustering', '+ IP context', 'peak RSS', 'peak heap', 'target'];
  const rows = results.map((r) => [
    r.db,
    `${fmt(r.parseOnlyEventsPerSec)} ev/s`,
    `${fmt(r.maskOnlyEventsPerSec)} ev/s`,
    `${fmt(r.baselineRowsPerSec)} rows/s`,
    `${fmt(r.pipelineEventsPerSec)} ev/s`,
    r.ratioPipelineToBaseline.toFixed(2),
    `${r.pipelineSeconds.toFixed(2)} s (${fmt(r.events)})`,
    `${fmt(r.analysedEventsPerSec)} ev/s, ${r.analysedSeconds.toFixed(2)} s (×${r.ratioAnalysedToPipeline.toFixed(2)})`,
    `${fmt(r.contextEventsPerSec)} ev/s (×${r.ratioContextToAnalysed.toFixed(2)})`,
    mib(r.peakRssBytes),
    mib(r.peakHeapBytes),
    targetText(r.db, r.pipelineEventsPerSec, r.pipelineSeconds, r.events),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log(`\nJSON: ${results.map((r) => path.relative(process.cwd(), path.join(outDir, `ingest-${r.db}.json`))).join(', ')}`);
}

function targetText(kind: DbKind, rate: number, seconds: number, events: number): string {
  const t = TARGETS[kind];
  const parts = [`≥ ${fmt(t.eventsPerSec)}/s ${rate >= t.eventsPerSec ? 'met' : 'NOT met'}`];
  if (t.daySeconds !== null && events >= 39_244) parts.push(`day < ${t.daySeconds} s ${seconds < t.daySeconds ? 'met' : 'NOT met'}`);
  return parts.join(', ');
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    // PGlite and the schema engine keep timers alive (see STACK.md): leave explicitly
    setTimeout(() => process.exit(), 100).unref();
  });
