import type { PlaywrightWorkerArgs } from '@playwright/test';
import { ORIGIN, apiSignIn, createUser, expect, type Role, type TestUser } from '../fixtures';

/**
 * Signed-in personas for the HTTP-level suites (authorization matrix, leak crawl, CSRF): a user created through
 * the real tools, signed in through next-auth's credentials endpoint, and its session cookie as one header.
 */
export async function sessionCookie(playwright: PlaywrightWorkerArgs['playwright'], u: TestUser): Promise<string> {
  const ctx = await playwright.request.newContext({ baseURL: ORIGIN });
  const r = await apiSignIn(ctx, u);
  expect(r.status(), `sign-in of ${u.username}`).toBeLessThan(400);
  const jar = (await ctx.storageState()).cookies.filter((c) => c.name.includes('next-auth'));
  await ctx.dispose();
  expect(jar.some((c) => c.name.includes('session-token'))).toBe(true);
  return jar.map((c) => `${c.name}=${c.value}`).join('; ');
}

/**
 * One user per role, every one with TOTP and signed in with a code: a fresh step-up, so no verb stops at
 * step_up_required.
 */
export async function rolePersonas(
  playwright: PlaywrightWorkerArgs['playwright'],
  roles: readonly Role[],
): Promise<Record<Role, { user: TestUser; cookie: string }>> {
  const out = {} as Record<Role, { user: TestUser; cookie: string }>;
  for (const role of roles) {
    const user = await createUser(role, '*', { enrol: true });
    out[role] = { user, cookie: await sessionCookie(playwright, user) };
  }
  return out;
}

/** A JSON request with a session cookie and this server's Origin (as the app's own pages send it). */
export async function asUser(cookie: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { Cookie: cookie, Origin: ORIGIN };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(new URL(path, ORIGIN), {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
}

/** The audit trail's newest sequence number (stewards read GET /api/audit): "nothing was recorded" checks. */
export async function auditHead(stewardCookie: string): Promise<number> {
  const r = await asUser(stewardCookie, '/api/audit?limit=1');
  expect(r.status).toBe(200);
  const rows = ((await r.json()) as { rows: { seq: string | number }[] }).rows;
  return rows.length ? Number(rows[0]!.seq) : 0;
}
