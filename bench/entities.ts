/**
 * npm run bench:entities [-- --edits 1000000] [--samples 200] [--pg-url postgresql://…] [--http] [--keep NAME]
 *
 * --keep NAME keeps the benchmark database under that name after the run (for EXPLAIN ANALYZE) and, when it
 * already exists, reuses it instead of generating the data again.
 *
 * With --http the same keys are also fetched over HTTP from the real server (production build, started on the
 * benchmark database by bench/entities-http.ts) as a signed-in patroller: GET /api/queue, /api/actors/[key],
 * /api/ranges/[key], /api/clusters/[id], with GET /api/health as that run's baseline.
 *
 * The entity pages' queries on PostgreSQL with a million stored edits: actor, range and cluster views and a
 * queue-like "newest 100 edits on wiki X with score ≥ x", each called through its lib query function (not
 * HTTP) with keys sampled from stored edits, next to a `SELECT 1` round trip through the same client as the
 * baseline. Target: p95 < 50 ms. The edits are generated set-based in SQL (generate_series), not through the
 * pipeline: actor ids drawn from a skewed distribution (many actors with a few edits, a few with thousands),
 * 40 % IP editors, 30 % temporary accounts (half of them with producer-sent IPs shared by several accounts),
 * 30 % registered; IPv4 /24 ranges of twelve possible addresses and /16s of 3,000; a fifth of the addresses
 * IPv6 (/64 ≈ 2 addresses, /48 ≈ 40, /32 ≈ 4,000); edits over seven days; skewed scores; a few hundred clusters.
 * Writes bench/results/entities.json and prints a table.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { actorView } from '../lib/actors/queries';
import type { Actor } from '../lib/auth/permissions';
import { clusterView } from '../lib/clusters/detail';
import { pgMigrationFactory, prismaForPg, setDb } from '../lib/db/client';
import { deployMigrations } from '../lib/db/migrate';
import { DEFAULT_FILTERS } from '../lib/edits/filters';
import { recentEdits } from '../lib/edits/queries';
import { queueEdits } from '../lib/edits/queue';
import { rangeView } from '../lib/ranges/queries';
import { timeOverHttp, type HttpCase } from './entities-http';
import { cliArg, writeReport } from './report';

const argv = process.argv.slice(2);
const arg = (name: string) => cliArg(name, argv);
const EDITS = Number(arg('edits') ?? 1_000_000);
const SAMPLES = Number(arg('samples') ?? 200);
const PG_ADMIN = arg('pg-url') ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TARGET_MS = 50;
const HTTP = argv.includes('--http');
const KEEP = arg('keep');

/** 64 hex characters from a label and an integer (stands in for a keyed HMAC). */
const key = (label: string, expr: string) => `md5('${label}' || (${expr})::text) || md5('${label}+' || (${expr})::text)`;

const GENERATE = `
INSERT INTO edit (wiki, "sourceId", source, "revId", type, namespace, title, ts, "actorKind", "actorName", epoch, "ipKey", "ipFamily",
                  range16, range24, range32, range48, range64, "isAnon", "isTemp", "isBot", "isMinor", "isNew", comment, tags,
                  "serverUrl", score, "scoreFactors", "clusterId", "netAsn", "netOrg", "netCountry", "netType")
SELECT wiki, 'bench:' || i, 'bench', i, 'edit', 0, 'Page ' || floor(50000 * power(random(), 2))::int, ts, kind, name, 'e1',
       CASE WHEN addr IS NULL THEN NULL ELSE ${key('ip', 'addr')} END,
       CASE WHEN addr IS NULL THEN NULL WHEN v6 THEN 6 ELSE 4 END,
       CASE WHEN addr IS NOT NULL AND NOT v6 THEN ${key('r16', 'addr / 3000')} END,
       CASE WHEN addr IS NOT NULL AND NOT v6 THEN ${key('r24', 'addr / 12')} END,
       CASE WHEN v6 THEN ${key('r32', 'addr / 4000')} END,
       CASE WHEN v6 THEN ${key('r48', 'addr / 40')} END,
       CASE WHEN v6 THEN ${key('r64', 'addr / 2')} END,
       kind = 'ip', kind = 'temp', false, false, false, 'edit summary', '{}', 'https://en.wikipedia.org', score,
       CASE WHEN score >= 0.5 THEN '[{"id":"summary","label":"empty edit summary","contribution":0.2}]'::jsonb END,
       CASE WHEN kind <> 'user' AND a < 3000 AND random() < 0.8 THEN md5('cluster' || (a / 8)::text)::uuid::text END,
       -- IP context per /24 (step 9): 500 networks, 30 countries, a tenth of the /24s hosting, a fifth mobile
       CASE WHEN addr IS NOT NULL THEN 64512 + (addr / 3000) % 500 END,
       CASE WHEN addr IS NOT NULL THEN 'Network ' || (addr / 3000) % 500 END,
       CASE WHEN addr IS NOT NULL THEN (ARRAY['US','DE','FR','GB','IN','BR','JP','NL','RU','CA','AU','IT','ES','PL','SE',
                                              'TR','MX','ID','KR','CN','UA','AR','ZA','NG','EG','VN','PH','IR','CH','AT'])[1 + (addr / 3000) % 30] END,
       CASE WHEN addr IS NOT NULL THEN (ARRAY['hosting','mobile','mobile','residential','residential','residential','unknown','unknown','unknown','unknown'])[1 + (addr / 12) % 10] END
  FROM (
    SELECT i, a, kind, ts, score,
           CASE WHEN a % 100 < 50 THEN 'enwiki' WHEN a % 100 < 70 THEN 'dewiki' WHEN a % 100 < 80 THEN 'frwiki' ELSE 'w' || (a % 10) || 'wiki' END AS wiki,
           CASE kind WHEN 'ip' THEN 'IP-' || upper(substr(md5('ip' || a::text), 1, 4) || '-' || substr(md5('ip' || a::text), 5, 4))
                     WHEN 'temp' THEN '~2026-' || lpad((a % 100000)::text, 5, '0') || '-' || (10 + a / 100000)
                     ELSE 'User ' || a END AS name,
           CASE WHEN kind = 'ip' THEN a WHEN kind = 'temp' AND a % 2 = 0 THEN 300000 + a / 3 END AS addr,
           (a / 10) % 5 = 0 AS v6
      FROM (
        SELECT i, a,
               CASE WHEN a % 10 < 4 THEN 'ip' WHEN a % 10 < 7 THEN 'temp' ELSE 'user' END AS kind,
               now() - random() * interval '7 days' AS ts,
               round(power(random(), 2.5)::numeric, 3)::float8 AS score
          FROM (SELECT i, floor(200000 * power(random(), 3))::int AS a FROM generate_series(1, ${EDITS}) i) s) k) x`;

const CLUSTERS = `
INSERT INTO cluster (id, rev, status, wikis, "memberCount", "editCount", heat, "peakHeat", "firstSeen", "lastSeen", reasons, detail)
SELECT c, 1, CASE WHEN max(ts) > now() - interval '1 hour' THEN 'active' ELSE 'closed' END, array_agg(DISTINCT wiki),
       count(DISTINCT "actorName"), count(*), count(*) / 10.0, count(*) / 5.0, min(ts), max(ts),
       '["members in one /24 range (bench)"]'::jsonb,
       jsonb_build_object(
         'members', (SELECT jsonb_agg(jsonb_build_object('key', CASE WHEN k = 'ip' THEN 'ip:' || ik ELSE 'temp:' || n END, 'kind', k, 'display', n, 'edits', e))
                       FROM (SELECT "actorKind" k, "actorName" n, max("ipKey") ik, count(*) e FROM edit x WHERE x."clusterId" = c GROUP BY 1, 2) m),
         'pages', '[]'::jsonb, 'absorbed', '[]'::jsonb,
         'series', (SELECT jsonb_agg(jsonb_build_object('t', b, 'edits', e) ORDER BY b)
                      FROM (SELECT date_trunc('hour', ts) b, count(*) e FROM edit x WHERE x."clusterId" = c GROUP BY 1) s))
  FROM (SELECT "clusterId" c, ts, wiki, "actorName" FROM edit WHERE "clusterId" IS NOT NULL) e GROUP BY c`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  if (KEEP !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(KEEP)) throw new Error('--keep: a lower-case database name (letters, digits, _)');
  const name = KEEP ?? `bench_entities_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  const reuse = KEEP !== undefined && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (!reuse) await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  const raw = new pg.Client({ connectionString: u.toString() });
  const prisma = prismaForPg({ connectionString: u.toString(), max: 10 });
  try {
    await deployMigrations(pgMigrationFactory({ connectionString: u.toString() }));
    await raw.connect();
    const version = (await raw.query(`SELECT current_setting('server_version') AS v`)).rows[0].v as string;
    let loadS = 0;
    let indexS = 0;
    if (!reuse) {
      // load without the secondary indexes, then build them (what a bulk load does)
      const indexes = (await raw.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'edit' AND indexname NOT IN ('edit_pkey', 'edit_wiki_sourceId_key')`)).rows as { indexname: string; indexdef: string }[];
      for (const ix of indexes) await raw.query(`DROP INDEX "${ix.indexname}"`);
      let t0 = performance.now();
      await raw.query(GENERATE);
      loadS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      for (const ix of indexes) await raw.query(ix.indexdef);
      await raw.query(CLUSTERS);
      await raw.query('VACUUM ANALYZE edit');
      await raw.query('VACUUM ANALYZE cluster');
      indexS = (performance.now() - t0) / 1000;
    }
    const stats = (
      await raw.query(`SELECT count(*)::int AS edits, count(DISTINCT ("actorKind", "actorName"))::int AS actors, count(DISTINCT range24)::int AS r24,
        (SELECT count(*)::int FROM cluster) AS clusters,
        (SELECT round(avg(n), 1)::float8 FROM (SELECT count(DISTINCT "ipKey") n FROM edit WHERE range24 IS NOT NULL GROUP BY range24) r) AS "addressesPer24",
        (SELECT max(n)::int FROM (SELECT count(*) n FROM edit GROUP BY "actorKind", "actorName") m) AS "maxActorEdits" FROM edit`)
    ).rows[0];
    console.log(`PostgreSQL ${version}: ${stats.edits} edits loaded in ${loadS.toFixed(1)} s, indexes and clusters in ${indexS.toFixed(1)} s`);
    console.log(`  ${stats.actors} actors (the busiest with ${stats.maxActorEdits} edits), ${stats.r24} /24 ranges (${stats.addressesPer24} addresses each on average), ${stats.clusters} clusters`);

    // keys sampled from stored edits (busy actors and ranges come up as often as a patroller would meet them)
    const sample = async (sql: string) => (await raw.query(sql)).rows.map((r) => String(Object.values(r)[0]));
    const n = SAMPLES;
    const actors = [
      ...(await sample(`SELECT "ipKey" FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE "actorKind" = 'ip' LIMIT ${n / 2}`)),
      ...(await sample(`SELECT "actorName" FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE "actorKind" <> 'ip' LIMIT ${n / 2}`)),
    ];
    const ranges = [
      ...(await sample(`SELECT range24 FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE range24 IS NOT NULL LIMIT ${(n * 2) / 5}`)),
      ...(await sample(`SELECT range16 FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE range16 IS NOT NULL LIMIT ${n / 5}`)),
      ...(await sample(`SELECT range64 FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE range64 IS NOT NULL LIMIT ${n / 5}`)),
      ...(await sample(`SELECT range48 FROM edit TABLESAMPLE BERNOULLI (0.5) WHERE range48 IS NOT NULL LIMIT ${n / 5}`)),
    ];
    const clusters = await sample(`SELECT id FROM cluster ORDER BY random() LIMIT ${n}`);
    const wikis = ['enwiki', 'dewiki', 'frwiki', 'w3wiki'];
    const scores = [0.3, 0.5, 0.8];
    const countries = ['US', 'DE', 'JP', 'AT', 'NG'];

    setDb(prisma);
    const viewer: Actor = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', username: 'bench', roles: [{ role: 'patroller', wiki: '*' }] };
    const cases: { name: string; run: (i: number) => Promise<unknown> }[] = [
      { name: 'baseline: SELECT 1', run: () => prisma.$queryRaw`SELECT 1` },
      { name: 'actor view', run: (i) => actorView(viewer, actors[i % actors.length]!) },
      { name: 'range view', run: (i) => rangeView(viewer, ranges[i % ranges.length]!) },
      { name: 'cluster view', run: (i) => clusterView(viewer, clusters[i % clusters.length]!) },
      {
        name: 'queue: newest 100 on wiki X, score ≥ x',
        run: (i) => recentEdits(viewer, { wiki: wikis[i % wikis.length]!, minScore: scores[Math.floor(i / wikis.length) % scores.length]!, limit: 100 }),
      },
      {
        name: 'queueEdits: GET /api/queue\'s query, 100 rows',
        run: (i) =>
          queueEdits(viewer, { ...DEFAULT_FILTERS, wiki: wikis[i % wikis.length]!, minScore: scores[Math.floor(i / wikis.length) % scores.length]! }, { limit: 100 }),
      },
      {
        name: 'queueEdits: only hosting networks, 100 rows',
        run: (i) => queueEdits(viewer, { ...DEFAULT_FILTERS, hostingOnly: true, ...(i % 2 ? { wiki: wikis[(i >> 1) % wikis.length]! } : {}) }, { limit: 100 }),
      },
      {
        name: 'queueEdits: country = X, 100 rows',
        run: (i) => queueEdits(viewer, { ...DEFAULT_FILTERS, country: countries[i % countries.length]!, ...(i % 2 ? { wiki: wikis[(i >> 1) % wikis.length]! } : {}) }, { limit: 100 }),
      },
    ];
    const results: { query: string; samples: number; p50: number; p95: number; max: number }[] = [];
    for (const c of cases) {
      for (let i = 0; i < 20; i++) await c.run(i); // warm-up (JIT, plan cache, pool)
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const r = await c.run(i);
        times.push(performance.now() - t);
        if (r === null) throw new Error(`${c.name}: sampled key not found`);
      }
      const r2 = (x: number) => Math.round(x * 100) / 100;
      results.push({ query: c.name, samples: n, p50: r2(pct(times, 50)), p95: r2(pct(times, 95)), max: r2(Math.max(...times)) });
    }
    if (HTTP) {
      const enc = encodeURIComponent;
      const httpCases: HttpCase[] = [
        { name: 'HTTP baseline: GET /api/health', path: () => '/api/health' },
        { name: 'HTTP GET /api/actors/[key]', path: (i) => `/api/actors/${enc(actors[i % actors.length]!)}` },
        { name: 'HTTP GET /api/ranges/[key]', path: (i) => `/api/ranges/${enc(ranges[i % ranges.length]!)}` },
        { name: 'HTTP GET /api/clusters/[id]', path: (i) => `/api/clusters/${enc(clusters[i % clusters.length]!)}` },
        {
          name: 'HTTP GET /api/queue?wiki=X&score=x',
          path: (i) => `/api/queue?wiki=${wikis[i % wikis.length]}&score=${scores[Math.floor(i / wikis.length) % scores.length]}`,
        },
      ];
      const timed = await timeOverHttp(prisma, u.toString(), httpCases, n);
      const r2 = (x: number) => Math.round(x * 100) / 100;
      for (const [query, times] of timed)
        results.push({ query, samples: n, p50: r2(pct(times, 50)), p95: r2(pct(times, 95)), max: r2(Math.max(...times)) });
    }
    const isBaseline = (q: string) => q.startsWith('baseline') || q.startsWith('HTTP baseline');
    const rows = results.map((r) => [r.query, String(r.samples), r.p50.toFixed(2), r.p95.toFixed(2), r.max.toFixed(1), isBaseline(r.query) ? '' : r.p95 < TARGET_MS ? 'yes' : 'NO']);
    const head = ['query', 'n', 'p50 ms', 'p95 ms', 'max ms', `p95 < ${TARGET_MS} ms`];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`\n${line(head)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n${rows.map(line).join('\n')}`);
    const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'results', 'entities.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), database: `PostgreSQL ${version}`, cpus: (await import('node:os')).cpus().length, data: { ...stats, loadSeconds: +loadS.toFixed(1), indexSeconds: +indexS.toFixed(1) }, targetP95Ms: TARGET_MS, results }, null, 2)}\n`,
    );
    console.log(`\nJSON: ${path.relative(process.cwd(), out)}`);
    const base = (q: string) => results.find((r) => r.query === (q.startsWith('HTTP') ? 'HTTP baseline: GET /api/health' : 'baseline: SELECT 1'));
    writeReport(
      'entities',
      results
        .filter((r) => !isBaseline(r.query))
        .map((r) => ({
          metric: `${r.query} p95 (${stats.edits.toLocaleString('en-US')} edits)`,
          value: r.p95,
          unit: 'ms',
          baseline: base(r.query) ? { label: base(r.query)!.query.replace(/^(HTTP )?baseline: /, ''), value: base(r.query)!.p95, unit: 'ms' } : null,
          ratio: base(r.query) ? +(r.p95 / base(r.query)!.p95).toFixed(1) : null,
          target: `p95 < ${TARGET_MS} ms`,
          met: r.p95 < TARGET_MS,
        })),
    );
    if (results.some((r) => !isBaseline(r.query) && r.p95 >= TARGET_MS)) process.exitCode = 1;
  } finally {
    setDb(undefined);
    await prisma.$disconnect();
    await raw.end().catch(() => {});
    if (KEEP === undefined) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else console.log(`kept database ${name}`);
    await admin.end();
  }
}

await main();
