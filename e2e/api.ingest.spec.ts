import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_INGEST_SECRET } from './constants';
import { E2E_DIR, ORIGIN, apiSignIn, cli, createUser, expect, test } from './fixtures';
import { signedHeaders } from './ingest';

/**
 * The signed machine endpoint on the real server: a trusted producer's batch is stored (counts in the
 * response, never an IP); forged and unsigned requests get 401 — not the sign-in redirect, not the
 * Origin check; the same request twice gets 409. And feed:replay reaches the running server's database
 * through its socket.
 */
const CANARY = '198.51.100.203';


function event(over: Record<string, unknown>) {
  return {
    meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
    id: Math.floor(Math.random() * 1e9),
    type: 'edit',
    namespace: 0,
    title: 'Sandbox',
    comment: 'test',
    timestamp: Math.floor(Date.now() / 1000),
    user: '~2026-44444-01',
    bot: false,
    wiki: 'enwiki',
    server_url: 'https://en.wikipedia.org',
    ip: CANARY,
    userAgent: 'Mozilla/5.0 (e2e)',
    ...over,
  };
}

test('POST /api/ingest stores a signed batch and refuses forged, unsigned and replayed requests', async ({ request }) => {
  const body = JSON.stringify({ events: [event({}), event({ user: 'Registered e2e', ip: '2001:db8:e2e::1' }), event({ ip: 'not-an-ip' })] });
  const headers = signedHeaders(body);
  const ok = await request.post('/api/ingest', { headers, data: body, maxRedirects: 0 });
  const text = await ok.text();
  expect(ok.status(), text).toBe(200);
  expect(JSON.parse(text)).toEqual({ received: 3, stored: 2, duplicates: 0, deadLettered: 1, ignored: 0 });
  expect(text).not.toContain(CANARY);

  const again = await request.post('/api/ingest', { headers, data: body, maxRedirects: 0 });
  expect(again.status()).toBe(409);

  const forged = await request.post('/api/ingest', { headers: signedHeaders(body, undefined, 'a-forger-guessing-the-secret-0123456789'), data: body, maxRedirects: 0 });
  expect(forged.status()).toBe(401);
  expect((await forged.json()).error.code).toBe('bad_signature');

  const unsigned = await request.post('/api/ingest', { headers: { 'Content-Type': 'application/json' }, data: body, maxRedirects: 0 });
  expect(unsigned.status()).toBe(401);
  expect((await unsigned.json()).error.code).toBe('unsigned');

  await new Promise((r) => setTimeout(r, 300));
  const log = fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8');
  expect(log).toContain('ingest batch stored');
  expect(log).not.toContain(CANARY);
  expect(log).not.toContain(E2E_INGEST_SECRET);
});

test('GET /api/queue answers the first page for the URL filters, masked, to a signed-in patroller only', async ({ playwright, request }) => {
  const title = `Queue API ${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({ events: [event({ title }), event({ title, user: '~2026-44444-02', namespace: 1 })] });
  expect((await request.post('/api/ingest', { headers: signedHeaders(body), data: body })).status()).toBe(200);

  const anon = await request.get(`/api/queue?q=${encodeURIComponent(title)}`, { maxRedirects: 0 });
  expect(anon.status()).toBe(401);

  const patroller = await createUser('patroller');
  const ctx = await playwright.request.newContext({ baseURL: ORIGIN });
  try {
    expect((await apiSignIn(ctx, patroller)).ok()).toBe(true);
    const all = await ctx.get(`/api/queue?q=${encodeURIComponent(title)}`);
    const text = await all.text();
    expect(all.status(), text).toBe(200);
    expect(all.headers()['cache-control']).toContain('no-store');
    const json = JSON.parse(text) as { cursor: string; rows: { title: string; namespace: number; actorName: string }[] };
    expect(json.cursor).toMatch(/^\d+$/);
    expect(json.rows.map((r) => r.actorName).sort()).toEqual(['~2026-44444-01', '~2026-44444-02']);
    expect(text).not.toContain(CANARY);
    const talk = await (await ctx.get(`/api/queue?q=${encodeURIComponent(title)}&ns=1`)).json();
    expect(talk.rows.map((r: { actorName: string }) => r.actorName)).toEqual(['~2026-44444-02']);
    const one = await (await ctx.get(`/api/queue?q=${encodeURIComponent(title)}&limit=1`)).json();
    expect(one.rows).toHaveLength(1);
    const bad = await ctx.get('/api/queue?limit=5000');
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.fields).toEqual({ limit: 'out of range' });
  } finally {
    await ctx.dispose();
  }
});

test('feed:replay goes through the running server (its socket), and a second run stores nothing new', async () => {
  const file = path.resolve('fixtures/realdata/eventstreams-enwiki-2023-07-29-sample100.jsonl');
  const first = await cli('feed-replay.ts', [file]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain('via running-server');
  expect(first.stdout).toMatch(/stored:\s+100\b/);
  const second = await cli('feed-replay.ts', [file]);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toMatch(/nothing new/);
});
