import { LANDING_HEADINGS } from './landing';
import { ORIGIN, cli, createUser, expect, signIn, test, type Role } from './fixtures';

test('a signed-out visitor is sent to the sign-in page', async ({ page }) => {
  await page.goto('/steward');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsteward$/);
  await expect(page.getByRole('heading', { name: 'Sign in to maskpatrol' })).toBeVisible();
});

test('a wrong password gets one generic message', async ({ page }) => {
  const u = await createUser('patroller');
  await page.goto('/signin');
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill('not-the-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#signin-error')).toHaveText('Sign-in failed. Check your username and password.');
  await page.getByLabel('Username').fill('no-such-user-anywhere');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#signin-error')).toHaveText('Sign-in failed. Check your username and password.');
});

for (const role of ['patroller', 'admin', 'checkuser', 'steward'] as Role[]) {
  test(`a fresh ${role} signs in and lands on the ${role} page`, async ({ page }) => {
    const u = await createUser(role);
    await signIn(page, u);
    const [path, heading] = LANDING_HEADINGS[role];
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  });
}

test('a patroller is refused a steward-only verb: 403, forbidden page, and no audit row', async ({ page, browser }) => {
  const patroller = await createUser('patroller');
  await signIn(page, patroller);

  // the page
  const res = await page.goto('/steward');
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId('forbidden')).toBeVisible();

  // the route handler, with a correct Origin: authenticated but not allowed → 403, never 401
  const grant = await page.request.post('/api/admin/roles', {
    data: { userId: patroller.id, role: 'steward', wiki: '*' },
    headers: { Origin: ORIGIN },
  });
  expect(grant.status()).toBe(403);
  expect((await grant.json()).error.code).toBe('forbidden');
  const list = await page.request.get('/api/admin/users');
  expect(list.status()).toBe(403);

  // a steward checks that nothing happened
  const steward = await createUser('steward');
  const ctx = await browser.newContext();
  const sp = await ctx.newPage();
  await signIn(sp, steward);
  const audit = await (await sp.request.get('/api/audit?limit=1000')).json();
  const grants = audit.rows.filter((r: { action: string; targetId: string }) => r.action === 'role.grant' && r.targetId === patroller.id);
  expect(grants).toEqual([]);
  const users = await (await sp.request.get('/api/admin/users')).json();
  expect(users.users.find((x: { id: string }) => x.id === patroller.id).roles).toEqual([{ role: 'patroller', wiki: '*' }]);
  await ctx.close();
});

test('state-changing requests from another origin, or with none, are refused', async ({ page }) => {
  const steward = await createUser('steward');
  await signIn(page, steward);
  const target = await createUser('patroller');
  for (const headers of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, {}] as Record<string, string>[]) {
    const r = await page.request.post('/api/admin/roles', { data: { userId: target.id, role: 'admin', wiki: 'enwiki' }, headers });
    expect(r.status()).toBe(403);
  }
});

test('a steward grants a role in the console: the audit trail records it and verifies intact', async ({ page }) => {
  const steward = await createUser('steward');
  const target = await createUser('patroller');
  await signIn(page, steward);
  await expect(page.getByTestId('chain-status')).toContainText('Audit chain intact');
  const form = page.getByRole('form', { name: 'Grant a role' });
  await form.getByLabel('Account').selectOption({ label: target.username });
  await form.getByLabel('Role').selectOption('admin');
  await form.getByLabel('Wiki', { exact: true }).fill('enwiki');
  await form.getByLabel('Reason').fill('promoted after RfA');
  await form.getByRole('button', { name: 'Grant' }).click();
  await expect(page.getByRole('status')).toContainText('Granted admin on enwiki');
  const table = page.getByRole('table', { name: 'Audit trail' });
  await expect(table.getByRole('row').filter({ hasText: 'promoted after RfA' })).toContainText('role.grant');

  // the command-line verifier, while the server runs (through its socket)
  const v = await cli('audit-verify.ts', []);
  expect(v.stdout).toMatch(/audit chain intact/);
  expect(v.code).toBe(0);
});

test('a steward creates an account; the generated password signs in', async ({ page, browser }) => {
  const steward = await createUser('steward');
  await signIn(page, steward);
  const form = page.getByRole('form', { name: 'Create an account' });
  const name = `made-${Date.now() % 1000000}`;
  await form.getByLabel('Username').fill(name);
  await form.getByLabel('Role').selectOption('checkuser');
  await form.getByRole('button', { name: 'Create' }).click();
  const password = await page.getByTestId('generated-password').textContent();
  expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await signIn(p2, { username: name, password: password! });
  await expect(p2).toHaveURL(/\/checkuser$/);
  await ctx.close();
});
