import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

export const E2E_DIR = path.resolve('e2e/.artifacts');
export const DATA_DIR = path.join(E2E_DIR, 'data');
export const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

export type Role = 'patroller' | 'admin' | 'checkuser' | 'steward';
export interface TestUser {
  username: string;
  password: string;
  role: Role;
  id: string;
  /** base32 TOTP secret once enrolled (by the users:totp tool, or by signIn through the enrolment page) */
  totpSecret?: string;
  recoveryCodes?: string[];
}

/** Roles that must use TOTP (lib/auth/permissions.ts TOTP_REQUIRED_ROLES). */
export const TOTP_ROLES: readonly Role[] = ['checkuser', 'steward'];

// The server refuses a code of a time step it already accepted: hand out each step once per secret.
const usedStep = new Map<string, number>();

/** A TOTP code, as an authenticator app computes it, for a time step not used before (waits if need be). */
export async function totpCode(secret: string): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current, (usedStep.get(secret) ?? -1) + 1);
    // the server accepts one step either side of its clock
    if (step <= current + 1) {
      usedStep.set(secret, step);
      return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: step * 30_000 });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Run a project CLI tool against the running server's data directory (it goes through the server's socket). */
export function cli(script: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', `scripts/${script}`, ...args], {
      env: { ...process.env, MASKPATROL_DATA_DIR: DATA_DIR, MASKPATROL_KEYS_DIR: path.join(E2E_DIR, 'keys'), DATABASE_URL: '', LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * Each test seeds its own users, through the real users:create tool; checkusers and stewards also get TOTP
 * through the users:totp tool (unless `enrol: false`, to go through the forced enrolment page).
 */
export async function createUser(role: Role, wiki = '*', opts: { enrol?: boolean } = {}): Promise<TestUser> {
  const username = `e2e-${role}-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const r = await cli('users-create.ts', ['--role', role, '--wiki', wiki, '--username', username, '--password-stdin'], `${password}\n`);
  expect(r.stderr, 'users:create failed').toBe('');
  expect(r.code).toBe(0);
  const id = /id ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
  expect(id).toBeTruthy();
  const user: TestUser = { username, password, role, id: id! };
  if (opts.enrol ?? TOTP_ROLES.includes(role)) {
    const t = await cli('users-totp.ts', ['--username', username, '--enrol']);
    expect(t.stderr, 'users:totp failed').toBe('');
    user.totpSecret = /Secret \(base32\): ([A-Z2-7]+)/.exec(t.stdout)?.[1];
    user.recoveryCodes = /Recovery codes: (.+)/.exec(t.stdout)?.[1]?.trim().split(' ');
    expect(user.totpSecret).toBeTruthy();
  }
  return user;
}

/** On the enrolment page: set up TOTP as a person with an authenticator app would; returns the secret. */
export async function enrolOnPage(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByTestId('totp-qr')).toHaveAttribute('src', /^data:image\/png;base64,/);
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  const form = page.getByRole('form', { name: 'Confirm' });
  await form.getByLabel('Code from the app').fill(await totpCode(secret));
  await form.getByRole('button', { name: 'Confirm' }).click();
  const list = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(list).toHaveCount(10);
  return { secret, recoveryCodes: await list.allTextContents() };
}

/**
 * Sign in through the form. With a TOTP secret the fixture types a fresh code when the form asks for one;
 * an account that must enrol first (no secret yet) is enrolled on the page it is sent to, and the secret
 * kept on the user object for later sign-ins.
 */
export async function signIn(page: Page, user: { username: string; password: string; totpSecret?: string; recoveryCodes?: string[] }) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (user.totpSecret) {
    await page.getByLabel('Authentication code').fill(await totpCode(user.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
  } else {
    await page.waitForURL((u) => u.pathname !== '/signin');
    if (new URL(page.url()).pathname === '/account/security') {
      const { secret, recoveryCodes } = await enrolOnPage(page);
      user.totpSecret = secret;
      user.recoveryCodes = recoveryCodes;
      await page.getByRole('link', { name: 'Continue' }).click();
      await page.waitForURL((u) => u.pathname !== '/account/security');
    }
  }
  await expect(page.getByTestId('whoami')).toContainText(user.username);
}

export const test = base;
export { expect };

/** Sign in through next-auth's credentials endpoint (what the form does), in an API request context. */
export async function apiSignIn(
  ctx: import('@playwright/test').APIRequestContext,
  user: { username: string; password: string; totpSecret?: string },
) {
  const csrf = (await (await ctx.get('/api/auth/csrf')).json()).csrfToken as string;
  const totp = user.totpSecret ? await totpCode(user.totpSecret) : '';
  return ctx.post('/api/auth/callback/credentials', {
    form: { csrfToken: csrf, username: user.username, password: user.password, totp, json: 'true' },
    // a browser sends its Origin with every POST; the server refuses state-changing requests without one
    headers: { Origin: ORIGIN },
  });
}
