import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENDPOINTS, rolesAllowed, type Policy } from '../lib/auth/endpoints';
import type { RoleName } from '../lib/auth/permissions';
import { csrfSweep, csrfTargets } from './authz/csrf';
import { stateDigest } from './authz/db';
import { actionIds, discoverEndpoints, type Endpoint } from './authz/discover';
import { asUser, sessionCookie } from './authz/personas';
import { probe, type Outcome } from './authz/probe';
import { SAMPLES, liveSamples } from './authz/samples';
import { ORIGIN, createUser, expect, test, type TestUser } from './fixtures';
import { signedHeaders } from './ingest';
import { ingest } from './proof/canaries';

/**
 * The authorization matrix, generated from the app's real endpoints (e2e/authz/discover.ts reads app/ from
 * disk) against their one-line declarations in lib/auth/endpoints.ts, checked over HTTP on the e2e server:
 * every endpoint × {anonymous, patroller, admin, checkuser, steward, disabled user}. Pages, route handlers
 * and server actions (posted as the browser does, with the Next-Action id from the build's manifest).
 * Then the CSRF proof suite: every browser-facing state-changing endpoint with a forged Origin (cross-site,
 * missing, null; JSON and text/plain bodies) aimed at a real victim account and edit → 403 and no state table
 * changed; and the machine endpoints refuse anything not correctly signed.
 */
const PERSONAS = ['anonymous', 'patroller', 'admin', 'checkuser', 'steward', 'disabled'] as const;
type Persona = (typeof PERSONAS)[number];
const ROLE_PERSONAS: RoleName[] = ['patroller', 'admin', 'checkuser', 'steward'];

const endpoints = discoverEndpoints();
const actions = actionIds();
const cookies: Partial<Record<Persona, string>> = {};
/** the CSRF sweep's victim account */
let victim: TestUser;

function expected(policy: Policy, who: Persona): 'allow' | 'signin' | 'forbidden' {
  const allowed = rolesAllowed(policy);
  if (allowed === 'anyone') return 'allow';
  if (who === 'anonymous' || who === 'disabled') return 'signin';
  if (allowed === 'signed-in') return 'allow';
  if (allowed === 'none') return 'forbidden';
  return allowed.includes(who) ? 'allow' : 'forbidden';
}

function agrees(want: ReturnType<typeof expected>, got: Outcome, policy: Policy): boolean {
  // a public endpoint may answer anything but a refusal (next-auth redirects a POST without its CSRF token)
  if (policy.kind === 'public') return got !== 'forbidden' && got !== 'error';
  return want === 'allow' ? got === 'passed' : got === want;
}

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(180_000);
  cookies.anonymous = '';
  // every persona has TOTP and signs in with a code: a fresh step-up, so no verb stops at step_up_required
  for (const role of ROLE_PERSONAS) cookies[role] = await sessionCookie(playwright, await createUser(role, '*', { enrol: true }));
  // a patroller with a live session whose account is then disabled: thrown out at the next request
  const gone = await createUser('patroller');
  cookies.disabled = await sessionCookie(playwright, gone);
  const r = await fetch(`${ORIGIN}/api/admin/users/status`, {
    method: 'POST',
    headers: { Cookie: cookies.steward!, Origin: ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId: gone.id, disabled: true, reason: 'authz matrix' }),
  });
  expect(r.status).toBe(200);
  victim = await createUser('patroller');
});

test('every endpoint of the app has a declared policy, and every declaration names an existing endpoint', () => {
  const found = new Set(endpoints.map((e) => e.key));
  const undeclared = [...found].filter((k) => !(k in ENDPOINTS));
  const stale = Object.keys(ENDPOINTS).filter((k) => !found.has(k));
  expect(undeclared, 'endpoints without a policy: add a line to lib/auth/endpoints.ts').toEqual([]);
  expect(stale, 'declarations whose endpoint no longer exists: remove them from lib/auth/endpoints.ts').toEqual([]);
  expect(endpoints.filter((e) => e.kind === 'page').length).toBeGreaterThan(10);
  expect(endpoints.filter((e) => e.kind === 'action').length).toBeGreaterThan(5);
  // every server action is reachable in this build
  const unreachable = endpoints.filter((e) => e.kind === 'action' && !actions.has(e.key)).map((e) => e.key);
  expect(unreachable, 'server actions missing from the build\'s server-reference manifest').toEqual([]);
});

for (const ep of endpoints) {
  const policy = ENDPOINTS[ep.key];
  if (policy?.kind === 'machine') continue;
  test(`matrix: ${ep.key}`, async () => {
    expect(policy, `${ep.key} has no declared policy (lib/auth/endpoints.ts)`).toBeDefined();
    const wrong: string[] = [];
    for (const who of PERSONAS) {
      const want = expected(policy!, who);
      const got = await probe(ep, policy, { cookie: cookies[who], sample: SAMPLES[ep.key], action: actions.get(ep.key) });
      if (!agrees(want, got.outcome, policy!)) {
        const hint = want !== 'allow' && got.status === 400 ? ' (validated before authorizing? give it a sample in e2e/authz/samples.ts)' : '';
        wrong.push(`${who}: expected ${want}, got ${got.outcome} (${got.detail})${hint}`);
      }
    }
    expect(wrong, `${ep.key} (${JSON.stringify(policy)})`).toEqual([]);
  });
}

/** One valid edit for the ingest endpoint. */
function targetEvent(title: string) {
  const n = Math.floor(Math.random() * 1e9);
  return {
    meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
    id: n,
    type: 'edit',
    namespace: 0,
    title,
    comment: 'x',
    timestamp: Math.floor(Date.now() / 1000),
    user: 'Csrf Target',
    bot: false,
    minor: false,
    length: { old: 1, new: 2 },
    revision: { old: n, new: n + 1 },
    wiki: 'enwiki',
    server_url: 'https://en.wikipedia.org',
    ip: '192.0.2.77',
  };
}

test('CSRF: every browser-facing state-changing endpoint refuses forged Origins and text/plain bodies with 403, and nothing changes', async () => {
  test.setTimeout(120_000);
  const targets = csrfTargets(endpoints);
  expect(targets.length).toBeGreaterThan(10);
  // a real edit for the review/hide/whitelist endpoints to aim at
  expect((await ingest([targetEvent('CSRF target')])).status).toBe(200);
  const rows = ((await (await asUser(cookies.steward!, '/api/queue?q=CSRF%20target&limit=1')).json()) as { rows: { id: string }[] }).rows;
  expect(rows).toHaveLength(1);
  const samples = liveSamples(victim, rows[0]!.id);

  const before = await stateDigest();
  // the victim is a signed-in steward, so only the Origin check stands between the forger and the action
  const findings = await csrfSweep(targets, { cookie: cookies.steward!, samples, actions });
  expect(findings).toEqual([]);
  // a same-origin text/plain body is no JSON request either: 415 from every JSON route, before anything runs
  // (next-auth's own POST takes form bodies and checks its CSRF token)
  for (const ep of targets.filter((e) => e.kind === 'route' && ENDPOINTS[e.key]?.kind !== 'public')) {
    const got = await probe(ep, ENDPOINTS[ep.key], { cookie: cookies.steward, sample: samples[ep.key], textPlain: true });
    expect(got.status, `${ep.key} same-origin text/plain`).toBe(415);
  }
  expect(await stateDigest()).toEqual(before);
});

test('CSRF: the sweep reports a server whose Origin check is off (the detector works)', async () => {
  // a stand-in that answers every request like an endpoint without the check (200, "done")
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const targets = csrfTargets(endpoints);
    const findings = await csrfSweep(targets, { cookie: cookies.steward!, samples: SAMPLES, actions, base });
    expect(findings).toHaveLength(targets.length * 6);
  } finally {
    server.close();
  }
});

test('machine endpoints refuse anything not correctly signed: unsigned, bad signature, wrong secret, stale, replayed, a session instead', async () => {
  const machines = endpoints.filter((e: Endpoint) => ENDPOINTS[e.key]?.kind === 'machine');
  expect(machines.map((e) => e.key)).toContain('POST /api/ingest');
  const body = JSON.stringify({ events: [] });
  for (const ep of machines) {
    const url = new URL(ep.pattern, ORIGIN);
    const good = signedHeaders(body);
    const flipped = { ...good, 'X-Maskpatrol-Signature': good['X-Maskpatrol-Signature']!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) };
    const variants: [string, Record<string, string>][] = [
      ['unsigned', { 'Content-Type': 'application/json' }],
      ['with one signature digit changed', flipped],
      ['signed with the wrong secret', signedHeaders(body, undefined, 'a-forger-guessing-the-secret-0123456789')],
      ['signed an hour ago', signedHeaders(body, Math.floor(Date.now() / 1000) - 3600)],
      ['signed an hour ahead', signedHeaders(body, Math.floor(Date.now() / 1000) + 3600)],
      // a browser session is no substitute for the signature
      ['with a steward session instead', { 'Content-Type': 'application/json', Cookie: cookies.steward!, Origin: ORIGIN }],
    ];
    for (const [label, headers] of variants) {
      const r = await fetch(url, { method: ep.method, headers, body, redirect: 'manual' });
      expect([401, 403], `${ep.key} ${label}: ${r.status}`).toContain(r.status);
    }
    // a correctly signed request is accepted once; the same request again is a replay
    // (an event that is stored: a request that stored nothing may be sent again)
    const one = JSON.stringify({ events: [targetEvent('Replay target')] });
    const h = signedHeaders(one);
    expect((await fetch(url, { method: ep.method, headers: h, body: one })).status, `${ep.key} signed`).toBe(200);
    expect((await fetch(url, { method: ep.method, headers: h, body: one })).status, `${ep.key} replayed`).toBe(409);
  }
});
