import { ENDPOINTS, isBrowserStateChanging, rolesAllowed, type Policy } from '../lib/auth/endpoints';
import type { RoleName } from '../lib/auth/permissions';
import { actionIds, discoverEndpoints, type Endpoint } from './authz/discover';
import { probe, type Outcome } from './authz/probe';
import { SAMPLES } from './authz/samples';
import { ORIGIN, apiSignIn, createUser, expect, test, type TestUser } from './fixtures';
import { signedHeaders } from './ingest';

/**
 * The authorization matrix, generated from the app's real endpoints (e2e/authz/discover.ts reads app/ from
 * disk) against their one-line declarations in lib/auth/endpoints.ts, checked over HTTP on the e2e server:
 * every endpoint × {anonymous, patroller, admin, checkuser, steward, disabled user}. Pages, route handlers
 * and server actions (posted as the browser does, with the Next-Action id from the build's manifest).
 * Then every browser-facing state-changing endpoint with a forged Origin, and the machine endpoints unsigned.
 */
const PERSONAS = ['anonymous', 'patroller', 'admin', 'checkuser', 'steward', 'disabled'] as const;
type Persona = (typeof PERSONAS)[number];
const ROLE_PERSONAS: RoleName[] = ['patroller', 'admin', 'checkuser', 'steward'];

const endpoints = discoverEndpoints();
const actions = actionIds();
const cookies: Partial<Record<Persona, string>> = {};

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

async function sessionCookie(playwright: import('@playwright/test').PlaywrightWorkerArgs['playwright'], u: TestUser): Promise<string> {
  const ctx = await playwright.request.newContext({ baseURL: ORIGIN });
  const r = await apiSignIn(ctx, u);
  expect(r.status(), `sign-in of ${u.username}`).toBeLessThan(400);
  const jar = (await ctx.storageState()).cookies.filter((c) => c.name.includes('next-auth'));
  await ctx.dispose();
  expect(jar.some((c) => c.name.includes('session-token'))).toBe(true);
  return jar.map((c) => `${c.name}=${c.value}`).join('; ');
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

const FORGED: [string, string | null][] = [
  ['cross-site', 'https://evil.example'],
  ['missing', null],
  ['null', 'null'],
];

test('forged Origin: every browser-facing state-changing endpoint refuses cross-site, missing and null Origins with 403', async () => {
  const targets = endpoints.filter((e) => isBrowserStateChanging(e.key));
  expect(targets.length).toBeGreaterThan(10);
  const wrong: string[] = [];
  for (const ep of targets)
    for (const [label, origin] of FORGED) {
      // the victim is a signed-in steward, so only the Origin check stands between the forger and the action
      const got = await probe(ep, ENDPOINTS[ep.key], { cookie: cookies.steward, origin, sample: SAMPLES[ep.key], action: actions.get(ep.key) });
      if (got.status !== 403) wrong.push(`${ep.key} with ${label} Origin: ${got.detail}`);
    }
  expect(wrong).toEqual([]);
});

test('machine endpoints: unsigned or badly signed requests are refused with 401/403', async () => {
  const machines = endpoints.filter((e: Endpoint) => ENDPOINTS[e.key]?.kind === 'machine');
  expect(machines.map((e) => e.key)).toContain('POST /api/ingest');
  const body = JSON.stringify({ events: [] });
  for (const ep of machines) {
    const url = new URL(ep.pattern, ORIGIN);
    const variants: [string, Record<string, string>][] = [
      ['unsigned', { 'Content-Type': 'application/json' }],
      ['signed with the wrong secret', signedHeaders(body, undefined, 'a-forger-guessing-the-secret-0123456789')],
      ['signed an hour ago', signedHeaders(body, Math.floor(Date.now() / 1000) - 3600)],
      // a browser session is no substitute for the signature
      ['with a steward session instead', { 'Content-Type': 'application/json', Cookie: cookies.steward!, Origin: ORIGIN }],
    ];
    for (const [label, headers] of variants) {
      const r = await fetch(url, { method: ep.method, headers, body, redirect: 'manual' });
      expect([401, 403], `${ep.key} ${label}: ${r.status}`).toContain(r.status);
    }
  }
});
