import fs from 'node:fs';
import path from 'node:path';
import { dumpAllTables, leakReport } from '../tests/helpers/leaks';
import { readableUrls } from './authz/crawl';
import { withDb } from './authz/db';
import { discoverEndpoints } from './authz/discover';
import { asUser, rolePersonas } from './authz/personas';
import { CANARIES, CANARY_V6, canaryEvents, canaryTitle, ingest } from './proof/canaries';
import { E2E_DIR, ORIGIN, expect, test, type Role } from './fixtures';

/**
 * Proof suite: no raw IP leaves the vault. Canary IPs (IPv4, IPv6, IPv4-mapped) go in through the signed
 * /api/ingest as editors (IP, temporary account, registered user with the IP in the private field) and inside
 * titles, summaries and log parameters; then every page and GET API of the app (generated from its endpoints,
 * dynamic segments filled with the canary edits' real pseudonyms, range keys and cluster ids) is read as each
 * role that cannot reveal (patroller, admin, steward, a checkuser who has not revealed); the live event stream is
 * read while more canaries arrive; the reveal-trail exports, the client bundles (.next/static), the server's
 * whole output and a dump of every table (vault ciphertext aside) are searched for every textual form of every
 * canary (tests/helpers/leaks.ts, unit-tested in tests/unit/leaks.test.ts), as whole tokens. Zero hits.
 * The feed parsers (EventStreams, Action API, IRC replay) get the same canaries in
 * tests/integration/feed-leaks.test.ts; the demo feed has no way to carry chosen IPs.
 */
const ROLES: Role[] = ['patroller', 'admin', 'steward', 'checkuser'];
const tag = Math.random().toString(36).slice(2, 8);
const personas = {} as Awaited<ReturnType<typeof rolePersonas>>;
const sources: Record<string, string> = {};
/** the crawl's values for dynamic segments: the canary edits' actor refs, range keys and cluster ids */
const fill: Record<string, string[]> = {};

interface Row {
  title: string;
  actorName: string;
  actorRef: string;
  actorKind: string;
  ranges: string[];
  cluster: { id: string } | null;
  comment: string | null;
}

async function text(r: Response): Promise<string> {
  return r.text().catch(() => '');
}

/** Read an event stream for `ms`, then let go. */
async function readStream(cookie: string, url: string, ms: number, during: () => Promise<void>): Promise<string> {
  const ac = new AbortController();
  const r = await fetch(new URL(url, ORIGIN), { headers: { Cookie: cookie, Accept: 'text/event-stream' }, signal: ac.signal });
  expect(r.status).toBe(200);
  const reader = r.body!.getReader();
  const dec = new TextDecoder();
  let out = '';
  const timer = setTimeout(() => ac.abort(), ms);
  const pump = (async () => {
    try {
      for (;;) {
        const c = await reader.read();
        if (c.done) break;
        out += dec.decode(c.value, { stream: true });
      }
    } catch {
      /* aborted */
    }
  })();
  await during();
  await pump;
  clearTimeout(timer);
  return out;
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  Object.assign(personas, await rolePersonas(playwright, ROLES));
});

test('canaries go in through the signed ingest endpoint and come out masked', async () => {
  const events = canaryEvents(tag);
  const r = await ingest(events);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toMatchObject({ received: events.length, stored: events.length, deadLettered: 0 });
  const q = await asUser(personas.steward.cookie, `/api/queue?q=Leak${tag}&limit=500&trusted=1`);
  const rows = ((await q.json()) as { rows: Row[] }).rows;
  expect(rows).toHaveLength(events.length);
  // a canary inside a title is replaced by the pseudonym its IP editor has (lib/masking/text.ts)
  CANARIES.forEach((_ip, n) => {
    const anon = rows.find((x) => x.title.startsWith(`Leak${tag}-${n}-anon/`))!;
    expect(anon.actorKind).toBe('ip');
    for (const kind of ['anon', 'temp', 'registered', 'log'] as const)
      expect(rows.map((x) => x.title)).toContain(canaryTitle(tag, n, kind, anon.actorName));
    expect(rows.find((x) => x.title.startsWith(`Leak${tag}-${n}-temp/`))!.actorName).toMatch(/^~2026-/);
  });
  sources['queue api'] = JSON.stringify(rows);
  // fill the crawl's dynamic segments with the canary edits' own entities
  Object.assign(fill, {
    'actors/[key]': [...new Set(rows.map((x) => x.actorRef))],
    'ranges/[key]': [...new Set(rows.flatMap((x) => x.ranges))],
    'clusters/[id]': [...new Set(rows.map((x) => x.cluster?.id).filter((x): x is string => !!x))],
  });
});

test('every page and GET API, read as each role that cannot reveal, shows no canary', async () => {
  test.setTimeout(150_000);
  const urls = readableUrls(discoverEndpoints(), fill, [`/queue?q=Leak${tag}&trusted=1`, `/api/queue?q=Leak${tag}&trusted=1`, '/api/audit?limit=1000']);
  expect(urls.length).toBeGreaterThan(20);
  const statuses: Record<string, number> = {};
  // the four roles side by side, each reading every URL in turn
  await Promise.all(
    ROLES.map(async (role) => {
      for (const url of urls) {
        const r = await asUser(personas[role].cookie, url);
        statuses[`${role} ${url}`] = r.status;
        sources[`${role} GET ${url}`] = `${r.status} ${JSON.stringify([...r.headers])} ${await text(r)}`;
      }
    }),
  );
  // the crawl saw the canary edits, not only refusals: the patroller's queue lists them, actor pages render
  expect(sources[`patroller GET /queue?q=Leak${tag}&trusted=1`]).toContain(`Leak${tag}-0-anon/`);
  expect(Object.entries(statuses).filter(([k, s]) => k.includes('/actors/') && s === 200).length).toBeGreaterThan(4);
  expect(leakReport(sources, CANARIES)).toEqual([]);
});

test('the live stream, the exports, the bundles, the server log and the database hold no canary', async () => {
  test.setTimeout(90_000);
  // the live queue while a second batch of canaries arrives
  const streamed = await readStream(personas.patroller.cookie, '/api/queue/stream', 4000, async () => {
    await new Promise((r) => setTimeout(r, 500));
    expect((await ingest(canaryEvents(`${tag}s`))).status).toBe(200);
  });
  expect(streamed).toContain(`Leak${tag}s-1-anon/`);
  sources['queue stream'] = streamed;
  // the only exports: the reveal trail, CSV and JSON
  for (const format of ['csv', 'json']) {
    const r = await asUser(personas.steward.cookie, '/api/reveal/export', { method: 'POST', body: { format, filters: {} } });
    expect(r.status).toBe(200);
    sources[`reveal export ${format}`] = await text(r);
  }
  // client bundles
  const staticFiles = walkFiles(path.resolve('.next/static'));
  expect(staticFiles.length).toBeGreaterThan(10);
  for (const f of staticFiles) sources[f] = fs.readFileSync(f, 'latin1');
  // every table, every row (vault ciphertext aside: checked by decryption in the integration tests)
  const dump = await withDb((sql) => dumpAllTables(sql));
  expect(dump.tables).toEqual(expect.arrayContaining(['edit', 'audit_event', 'vault_record', 'dead_letter']));
  expect(dump.text).toContain(`Leak${tag}-0-anon/`);
  sources.database = dump.text;
  // the server's whole stdout/stderr (playwright.config.ts sends it to a file)
  await new Promise((r) => setTimeout(r, 500));
  sources['server.log'] = fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8');
  expect(sources['server.log']).toContain('ingest batch stored');

  expect(leakReport(sources, CANARIES)).toEqual([]);
  // the scan is not vacuous: one planted form, in the middle of everything collected, is reported
  const planted = { ...sources, planted: `${sources.database}\n"x-forwarded-for":"${CANARY_V6.toUpperCase()}"` };
  expect(leakReport(planted, CANARIES)).toHaveLength(1);
});
