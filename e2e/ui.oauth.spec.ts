import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { e2eOAuthPort } from './constants';
import { enrolOnPage, expect, test, totpCode } from './fixtures';

/**
 * Sign-in with a wiki account, end to end: the browser goes through next-auth's Wikimedia provider to the
 * MediaWiki stand-in that Playwright started on loopback (e2e/oauth-server.ts: real authorization-code flow,
 * token and profile endpoints, Action API per wiki), and the groups it reports per wiki become per-wiki roles.
 */
const WIKI = `http://127.0.0.1:${e2eOAuthPort()}`;

interface WikiUser {
  name: string;
  groups: Record<string, string[]>;
  global: string[];
}

async function register(u: WikiUser): Promise<void> {
  const r = await fetch(`${WIKI}/_test/users`, { method: 'POST', body: JSON.stringify(u), headers: { 'Content-Type': 'application/json' } });
  expect(r.status).toBe(200);
}

const uniqueName = (what: string) => `E2e ${what} ${randomBytes(3).toString('hex')}`;

/** What a person does: the wiki button, the wiki's own login-and-allow page, and back. */
async function wikiSignIn(page: Page, name: string) {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Continue with your wiki account' }).click();
  await page.waitForURL((u) => u.origin === WIKI);
  await expect(page.getByRole('heading', { name: /allow maskpatrol/ })).toBeVisible();
  await page.getByLabel('Wiki username').fill(name);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((u) => u.origin !== WIKI && !u.pathname.startsWith('/api/auth'));
}

/** The header's sign-out button (clicked again if the page was not hydrated yet when first clicked). */
async function signOut(page: Page) {
  await expect(async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/, { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
}

test('wiki groups become per-wiki roles at sign-in, and follow the wiki at the next sign-in', async ({ page }) => {
  const name = uniqueName('Sysop');
  await register({ name, groups: { metawiki: [], enwiki: ['sysop', 'autoconfirmed'], dewiki: ['rollbacker'] }, global: [] });
  await wikiSignIn(page, name);
  // an admin on enwiki lands on the blocks page; the roles are per wiki
  await expect(page).toHaveURL(/\/blocks$/);
  const who = page.getByTestId('whoami');
  await expect(who).toContainText(`${name}@wiki`);
  await expect(who).toContainText('admin@enwiki');
  await expect(who).toContainText('patroller@dewiki');
  await expect(who).not.toContainText('admin@dewiki');
  // no checkuser right anywhere: the checkuser page is refused
  const cu = await page.goto('/checkuser');
  expect(cu!.status()).toBe(403);

  // the wiki desysops them on enwiki and drops rollbacker on dewiki; the next sign-in follows
  await register({ name, groups: { metawiki: [], enwiki: ['rollbacker'], dewiki: [] }, global: [] });
  await page.goto('/queue');
  await signOut(page);
  await wikiSignIn(page, name);
  await expect(page).toHaveURL(/\/queue$/);
  await expect(who).toContainText('patroller@enwiki');
  await expect(who).not.toContainText('admin@enwiki');
  await expect(who).not.toContainText('dewiki');
});

test('no mapped group on any wiki: no access, with a page that says why, and no session', async ({ page }) => {
  const name = uniqueName('Reader');
  await register({ name, groups: { metawiki: ['autoconfirmed'], enwiki: ['autoconfirmed', 'bureaucrat'] }, global: [] });
  await wikiSignIn(page, name);
  await expect(page).toHaveURL(/\/no-access\?from=wiki/);
  await expect(page.getByRole('heading', { name: 'No access with this wiki account' })).toBeVisible();
  await expect(page.getByTestId('no-access-reason')).toContainText('sysop → admin');
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  const r = await page.request.get('/api/feeds');
  expect(r.status()).toBe(401);
});

test('a checkuser signing in with a wiki account must set up TOTP, and pass it at every later sign-in', async ({ page }) => {
  const name = uniqueName('Checkuser');
  await register({ name, groups: { metawiki: [], enwiki: ['checkuser'] }, global: [] });
  await wikiSignIn(page, name);
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole('status')).toContainText('requires two-factor authentication');
  // nothing else is reachable until then
  expect((await page.request.get('/api/feeds')).status()).toBe(403);
  const { secret } = await enrolOnPage(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/checkuser$/);
  await expect(page.getByTestId('whoami')).toContainText('checkuser@enwiki');

  // the next wiki sign-in is not enough on its own: the code is asked for first
  await signOut(page);
  await wikiSignIn(page, name);
  await expect(page).toHaveURL(/\/account\/security$/);
  expect((await page.request.get('/checkuser', { maxRedirects: 0 })).status()).toBe(307);
  await page.getByLabel('Authentication code').fill(await totpCode(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/checkuser$/);
});

test('a global steward group gives the global steward role', async ({ page }) => {
  const name = uniqueName('Steward');
  await register({ name, groups: { metawiki: [] }, global: ['steward'] });
  await wikiSignIn(page, name);
  await expect(page).toHaveURL(/\/account\/security$/);
  await enrolOnPage(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/steward$/);
  // the steward console lists the account with its wiki-derived role, and the audit trail shows the system actor
  const trail = page.getByRole('table', { name: 'Audit trail' });
  await expect(trail.getByRole('row').filter({ hasText: 'wiki-groups' }).first()).toContainText('user.create');
});
