/**
 * The load proof's phases (bench/load.ts): one phase offers `readRate` reads/s (queue, actor, cluster) plus the block
 * actions through staggered autocannon instances, with GET /api/health as the same run's baseline, and returns exact
 * percentiles from autocannon's per-response times.
 */
import autocannon from 'autocannon';
import type pg from 'pg';
import type { Jar } from './entities-http';

export interface PhaseOptions {
  base: string;
  /** autocannon instances the offered load is spread over, started 1000/GROUPS ms apart */
  groups: number;
  blockRate: number;
}

export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let blockSeq = 0;
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

export interface Keys {
  wikis: string[];
  actors: string[];
  clusters: string[];
  blockable: { key: string; wiki: string }[];
}

export interface PhaseResult {
  name: string;
  offeredPerSec: number;
  seconds: number;
  reads: number;
  readsPerSec: number;
  blockActions: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  blockP95: number;
  /** the same run's baseline: GET /api/health p95 */
  healthP95: number;
  errors: number;
  errorRate: number;
  statuses: Record<string, number>;
  /** connection errors and timeouts (no response) */
  noResponse: number;
  failures: string[];
}

export async function sample(sql: pg.Pool): Promise<Keys> {
  const rows = async (q: string) => (await sql.query(q)).rows as Record<string, string>[];
  const wikis = (await rows(`SELECT wiki FROM edit GROUP BY wiki ORDER BY count(*) DESC LIMIT 8`)).map((r) => r.wiki!);
  const ips = (await rows(`SELECT "ipKey" AS k FROM edit WHERE "actorKind" = 'ip' GROUP BY "ipKey" LIMIT 400`)).map((r) => r.k!);
  const named = (await rows(`SELECT "actorName" AS k FROM edit WHERE "actorKind" <> 'ip' GROUP BY "actorName" LIMIT 400`)).map((r) => r.k!);
  const clusters = (await rows(`SELECT id AS k FROM cluster LIMIT 400`)).map((r) => r.k!);
  // not an actor the load still holds blocked (endLeftoverBlocks removes those; this is the second line of defence)
  const blockable = (await rows(
    `SELECT DISTINCT ON ("ipKey") "ipKey" AS key, wiki FROM edit e WHERE "actorKind" = 'ip'
        AND NOT EXISTS (SELECT 1 FROM block b WHERE b."targetKey" = e."ipKey" AND b."endedAt" IS NULL)
      ORDER BY "ipKey", ts DESC LIMIT 2000`,
  )) as { key: string; wiki: string }[];
  return { wikis, actors: [...ips, ...named], clusters, blockable };
}

/**
 * Blocks the load created but did not remove: autocannon ends a phase at its duration even between a connection's
 * POST /api/blocks and its DELETE, and a creation still in flight at the end completes on the server. Left in place,
 * such an actor is "already blocked" (409, then DELETE /api/blocks/none → 400) when a later phase targets it again.
 * They are removed here through the API (DELETE /api/blocks/[id], audited like any unblock), between phases.
 */
export async function endLeftoverBlocks(base: string, sql: pg.Pool, admins: Jar[], adminPrefix: string): Promise<number> {
  await sleep(1000); // creations the server was still running when the phase ended
  const { rows } = await sql.query<{ id: string }>(`SELECT id FROM block WHERE "endedAt" IS NULL AND "createdByName" LIKE $1`, [`${adminPrefix}%`]);
  for (const { id } of rows) {
    const res = await fetch(`${base}/api/blocks/${id}`, {
      method: 'DELETE',
      headers: { cookie: admins[0]!.header(), origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'load test: left over at the end of a phase' }),
    });
    if (!res.ok) throw new Error(`removing a left-over block failed: ${res.status} ${(await res.text()).slice(0, 200)}`);
  }
  return rows.length;
}

/** One read request: the queue (a wiki, sometimes a score filter), an actor or a cluster, as a patroller clicks. */
function readPath(k: Keys): string {
  const r = Math.random();
  if (r < 0.4 || (!k.clusters.length && r < 0.7)) {
    const score = Math.random() < 0.5 ? `&score=${pick(['0.3', '0.5', '0.8'])}` : '';
    return `/api/queue?wiki=${pick(k.wikis)}${score}`;
  }
  if (r < 0.7 || !k.clusters.length) return `/api/actors/${encodeURIComponent(pick(k.actors))}`;
  return `/api/clusters/${encodeURIComponent(pick(k.clusters))}`;
}

export async function phase(o: PhaseOptions, name: string, readRate: number, seconds: number, k: Keys, readers: Jar[], admins: Jar[]): Promise<PhaseResult> {
  const { base, groups: GROUPS, blockRate: BLOCK_RATE } = o;
  const read: number[] = [];
  const block: number[] = [];
  const health: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let noResponse = 0;
  const note = (kind: number[], status: number, ms: number) => {
    kind.push(ms);
    if (kind === health) return; // the baseline is not part of the load's counts
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 300) errors++;
  };
  const instances: Promise<unknown>[] = [];
  const track = (opts: autocannon.Options, kind: number[]) => {
    let done: (v: unknown) => void = () => {};
    instances.push(new Promise((resolve) => (done = resolve)));
    const inst = autocannon(opts, (err) => done(err));
    inst.on('response', (_c, status, _b, ms) => note(kind, status, ms));
    if (kind !== health) inst.on('reqError', () => (errors++, noResponse++));
  };
  type Ctx = { id?: string; path?: string };
  /** the first few failures, for the report: status, route, the error's code (bodies carry no IP) */
  const failures: string[] = [];
  const failed = (status: number, body: string, ctx: Ctx) => {
    if ((status < 200 || status >= 300) && failures.length < 8)
      failures.push(`${status} ${ctx.path?.replace(/\/[^/?]+(\?|$)/, '/…$1').replace(/=[^&]*/g, '=…') ?? '?'} ${/"code":"([a-z_]+)"/.exec(body)?.[1] ?? body.slice(0, 80)}`);
  };
  // the same run's baseline: GET /api/health (one database round trip, no session) at 2 requests/s
  track({ url: `${base}/api/health`, connections: 2, connectionRate: 1, duration: seconds, timeout: 10 }, health);
  let slot = 0;
  // readRate connections at 1 request/s each, split as evenly as whole numbers allow over the instances
  const share = (g: number) => Math.floor(((g + 1) * readRate) / GROUPS) - Math.floor((g * readRate) / GROUPS);
  for (let g = 0; g < GROUPS; g++) {
    if (share(g) > 0) track(
      {
        url: base,
        connections: share(g),
        connectionRate: 1,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (req, ctx) => {
              (ctx as Ctx).path = readPath(k);
              return { ...req, path: (ctx as Ctx).path, headers: { cookie: pick(readers).header() } };
            },
            onResponse: (status, body, ctx) => failed(status, body, ctx as Ctx),
          },
        ],
      },
      read,
    );
    // the block actions: one admin connection per action a second, each blocking its own actors in turn
    if (slot < BLOCK_RATE && g === Math.floor((slot * GROUPS) / BLOCK_RATE)) {
      const mine = slot++;
      const jar = admins[mine % admins.length]!;
      const headers = { cookie: jar.header(), origin: base, 'content-type': 'application/json' };
      track(
        {
          url: base,
          connections: 1,
          connectionRate: 1,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              method: 'POST',
              path: '/api/blocks',
              setupRequest: (req, ctx) => {
                // one sequence over all connections and phases: a block whose creation timed out on the client but
                // happened on the server (left in place) is never targeted again, unless the run wraps the list
                const t = k.blockable[blockSeq++ % k.blockable.length]!;
                (ctx as Ctx).id = undefined;
                (ctx as Ctx).path = 'POST /api/blocks';
                return { ...req, headers, body: JSON.stringify({ target: { type: 'actor', actorKey: t.key }, options: { wiki: t.wiki, expiry: '1 day', reasonText: 'load test' } }) };
              },
              onResponse: (status, body, ctx) => {
                failed(status, body, ctx as Ctx);
                (ctx as Ctx).id = /"id":"([0-9a-f-]{36})"/.exec(body)?.[1];
              },
            },
            {
              method: 'DELETE',
              setupRequest: (req, ctx) => {
                (ctx as Ctx).path = 'DELETE /api/blocks/[id]';
                return { ...req, path: `/api/blocks/${String((ctx as Ctx).id ?? 'none')}`, headers, body: JSON.stringify({ reason: 'load test' }) };
              },
              onResponse: (status, body, ctx) => failed(status, body, ctx as Ctx),
            },
          ],
        },
        block,
      );
    }
    await sleep(1000 / GROUPS);
  }
  await Promise.all(instances);
  const total = read.length + block.length;
  const all = [...read, ...block];
  return {
    name,
    offeredPerSec: readRate,
    seconds,
    reads: read.length,
    readsPerSec: +(read.length / seconds).toFixed(1),
    blockActions: block.length,
    p50: +pct(all, 50).toFixed(1),
    p95: +pct(all, 95).toFixed(1),
    p99: +pct(all, 99).toFixed(1),
    max: +Math.max(...all).toFixed(1),
    blockP95: +pct(block, 95).toFixed(1),
    healthP95: +pct(health, 95).toFixed(1),
    errors,
    errorRate: total + noResponse ? +(errors / (total + noResponse)).toFixed(5) : 1,
    statuses,
    noResponse,
    failures,
  };
}


export interface ProbeResult {
  route: string;
  answered: number;
  statuses: Record<string, number>;
  p50: number;
  bytesPerResponse: number;
}

/**
 * One route alone at a fixed overall rate (a few connections, autocannon's overallRate), for the CPU cost per
 * request of that route (bench/load.ts --probe measures the processes around it).
 */
export async function probe(base: string, route: string, rate: number, seconds: number, path: () => string, cookie: (() => string) | null): Promise<ProbeResult> {
  const ms: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  await new Promise((resolve) => {
    const inst = autocannon(
      {
        url: base,
        connections: 8,
        overallRate: rate,
        duration: seconds,
        timeout: 10,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path(), headers: cookie ? { cookie: cookie() } : {} }) }],
      },
      resolve,
    );
    inst.on('response', (_c, status, resBytes, t) => {
      ms.push(t);
      bytes += resBytes;
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  return { route, answered: ms.length, statuses, p50: +pct(ms, 50).toFixed(1), bytesPerResponse: Math.round(bytes / Math.max(1, ms.length)) };
}

/** The read mix's routes one at a time (queue, actor, cluster), as readPath picks them. */
export function probeRoutes(k: Keys): { route: string; path: () => string }[] {
  const routes = [
    { route: 'GET /api/queue?wiki=…', path: () => `/api/queue?wiki=${pick(k.wikis)}` },
    { route: 'GET /api/queue?wiki=…&limit=1', path: () => `/api/queue?wiki=${pick(k.wikis)}&limit=1` },
    { route: 'GET /api/actors/[key]', path: () => `/api/actors/${encodeURIComponent(pick(k.actors))}` },
  ];
  if (k.clusters.length) routes.push({ route: 'GET /api/clusters/[id]', path: () => `/api/clusters/${encodeURIComponent(pick(k.clusters))}` });
  return routes;
}
