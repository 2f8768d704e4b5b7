import { ORIGIN, createUser, enrolOnPage, expect, test, totpCode } from './fixtures';
import type { Page } from '@playwright/test';

async function passwordStep(page: Page, u: { username: string; password: string }) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
}

test('a fresh steward must enrol TOTP first, then signs in with password + code; wrong codes are refused, a recovery code works once', async ({ page }) => {
  const steward = await createUser('steward', '*', { enrol: false });

  // password only: sent to the enrolment page, with nothing else reachable
  await passwordStep(page, steward);
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);
  await page.goto('/steward');
  await expect(page).toHaveURL(/\/account\/security$/);
  const api = await page.request.get('/api/admin/users');
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe('second_factor_required');

  // enrol: QR code and key, confirm with a code computed from the key shown, recovery codes once
  const { secret, recoveryCodes } = await enrolOnPage(page);
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/steward$/);
  await page.goto('/account/security');
  await expect(page.getByTestId('totp-status')).toContainText('Two-factor authentication is on');
  await expect(page.getByTestId('totp-status')).toContainText('10 unused recovery codes');
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
  await expect(page.getByText(recoveryCodes[0]!)).toHaveCount(0);
  await signOut(page);

  // password + code; a wrong code gets the generic answer
  await passwordStep(page, steward);
  const code = page.getByLabel('Authentication code');
  await expect(code).toBeVisible();
  const good = await totpCode(secret);
  await code.fill(good === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#signin-error')).toHaveText('Sign-in failed. Check your username, password and code.');
  await code.fill(good);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/steward$/);
  await expect(page.getByTestId('whoami')).toContainText(steward.username);
  await signOut(page);

  // a recovery code signs in once
  await passwordStep(page, steward);
  await page.getByLabel('Authentication code').fill(recoveryCodes[4]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/steward$/);

  // … but is no step-up: a role grant asks for a fresh code first, through the API and in the console
  const target = await createUser('patroller');
  const viaApi = await page.request.post('/api/admin/roles', { data: { userId: target.id, role: 'admin', wiki: 'enwiki' }, headers: { Origin: ORIGIN } });
  expect(viaApi.status()).toBe(403);
  expect((await viaApi.json()).error.code).toBe('step_up_required');
  await page.reload();
  const grant = async () => {
    const form = page.getByRole('form', { name: 'Grant a role' });
    await form.getByLabel('Account').selectOption({ label: target.username });
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Wiki', { exact: true }).fill('enwiki');
    await form.getByLabel('Reason').fill('after step-up');
    await form.getByRole('button', { name: 'Grant' }).click();
  };
  await grant();
  await expect(page.getByRole('alert').filter({ hasText: 'Confirm with a code from your authenticator app' })).toBeVisible();
  await page.getByTestId('step-up-link').click();
  await expect(page).toHaveURL(/\/account\/step-up\?callbackUrl=%2Fsteward$/);
  await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  // a recovery code does not count here; a wrong code neither
  await page.getByLabel('Code from the app').fill(recoveryCodes[5]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'not accepted' })).toBeVisible();
  await page.getByLabel('Code from the app').fill(await totpCode(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/steward$/);
  await grant();
  await expect(page.getByRole('status')).toContainText('Granted admin on enwiki');
  const audit = await (await page.request.get('/api/audit?limit=1000')).json();
  const mine = audit.rows.filter((r: { targetId: string }) => r.targetId === steward.id).map((r: { action: string }) => r.action);
  expect(mine).toContain('totp.enrol');
  expect(JSON.stringify(audit)).not.toContain(secret);
  await signOut(page);

  // the used recovery code is spent
  await passwordStep(page, steward);
  await page.getByLabel('Authentication code').fill(recoveryCodes[4]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#signin-error')).toHaveText('Sign-in failed. Check your username, password and code.');
});
