import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';

export const E2E_DIR = path.resolve('e2e/.artifacts');
export const DATA_DIR = path.join(E2E_DIR, 'data');
export const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

export type Role = 'patroller' | 'admin' | 'checkuser' | 'steward';
export interface TestUser {
  username: string;
  password: string;
  role: Role;
  id: string;
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

/** Each test seeds its own users, through the real users:create tool. */
export async function createUser(role: Role, wiki = '*'): Promise<TestUser> {
  const username = `e2e-${role}-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const r = await cli('users-create.ts', ['--role', role, '--wiki', wiki, '--username', username, '--password-stdin'], `${password}\n`);
  expect(r.stderr, 'users:create failed').toBe('');
  expect(r.code).toBe(0);
  const id = /id ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
  expect(id).toBeTruthy();
  return { username, password, role, id: id! };
}

export async function signIn(page: Page, user: { username: string; password: string }) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('whoami')).toContainText(user.username);
}

export const test = base;
export { expect };

/** Sign in through next-auth's credentials endpoint (what the form does), in an API request context. */
export async function apiSignIn(ctx: import('@playwright/test').APIRequestContext, user: { username: string; password: string }) {
  const csrf = (await (await ctx.get('/api/auth/csrf')).json()).csrfToken as string;
  return ctx.post('/api/auth/callback/credentials', { form: { csrfToken: csrf, username: user.username, password: user.password, json: 'true' } });
}
