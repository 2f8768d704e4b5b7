import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_OAUTH_CLIENT_SECRET } from './constants';
import { DATA_DIR, E2E_DIR, ORIGIN, createUser, expect, test, totpCode } from './fixtures';

test('/api/health reports database, migrations and version, and nothing secret', async ({ request }) => {
  const r = await request.get('/api/health');
  expect(r.status()).toBe(200);
  const body = await r.json();
  expect(body).toMatchObject({ status: 'ok', database: { reachable: true, driver: 'embedded' }, migrations: { pending: 0, upToDate: true } });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  const text = JSON.stringify(body);
  for (const s of ['postgres', 'secret', 'password', '.s.PGSQL', E2E_DIR]) expect(text).not.toContain(s);
});

test('unauthenticated API calls get 401 JSON, not a redirect', async ({ request }) => {
  const r = await request.get('/api/admin/users', { maxRedirects: 0 });
  expect(r.status()).toBe(401);
  expect((await r.json()).error.code).toBe('unauthenticated');
});

test('a second server on the same data directory exits non-zero with a clear message; the first keeps serving', async ({ request }) => {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/start.ts'], {
    env: { ...process.env, PORT: '3199', MASKPATROL_DATA_DIR: DATA_DIR, MASKPATROL_KEYS_DIR: path.join(E2E_DIR, 'keys'), DATABASE_URL: '' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(1);
  expect(out).toContain('is in use by another maskpatrol process');
  expect((await request.get('/api/health')).status()).toBe(200);
});

test('no password, session token or secret reaches the server log', async ({ request, playwright }) => {
  const u = await createUser('steward');
  const ctx = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { Origin: ORIGIN } });
  // sign in through next-auth's credentials endpoint, as the browser form does
  const csrf = (await (await ctx.get('/api/auth/csrf')).json()).csrfToken as string;
  const code = await totpCode(u.totpSecret!);
  const res = await ctx.post('/api/auth/callback/credentials', {
    form: { csrfToken: csrf, username: u.username, password: u.password, totp: code, json: 'true' },
  });
  expect(res.status()).toBeLessThan(400);
  const state = await ctx.storageState();
  const session = state.cookies.find((c) => c.name.includes('next-auth.session-token'));
  expect(session?.value.length).toBeGreaterThan(20);
  expect((await ctx.get('/api/admin/users')).status()).toBe(200);
  // a failed attempt too
  await ctx.post('/api/auth/callback/credentials', { form: { csrfToken: csrf, username: u.username, password: 'wrong-password-xyz', json: 'true' } });
  await ctx.dispose();
  await new Promise((r) => setTimeout(r, 500));

  const log = fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8');
  expect(log).toContain('"event":"signin.ok"');
  expect(log).toContain('"event":"signin.failed"');
  const secret = fs.readFileSync(path.join(E2E_DIR, 'keys', 'session-secret'), 'utf8').trim();
  const totpKey = fs.readFileSync(path.join(E2E_DIR, 'keys', 'totp-key'), 'utf8').trim();
  const secrets = [u.password, 'wrong-password-xyz', session!.value, secret, csrf, Buffer.from(secret, 'base64').toString('base64url'), E2E_OAUTH_CLIENT_SECRET];
  // (a 6-digit code is searched as a quoted value: bare digits could occur anywhere by chance)
  for (const s of [...secrets, u.totpSecret!, `"${code}"`, ...u.recoveryCodes!, totpKey])
    expect(log.includes(s), 'a secret is in the server log').toBe(false);
  void request;
});
