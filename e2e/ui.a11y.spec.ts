import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createUser, expect, signIn, test } from './fixtures';

/**
 * axe-core on the pages the other specs do not check (the queue and the entity pages have their own):
 * zero serious or critical violations, signed out and for the roles that see each page.
 */
async function axe(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('sign-in, steward, checkuser, admin and account pages have no serious accessibility violation', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await axe(page, '/signin');
  const steward = await createUser('steward');
  await createUser('patroller'); // so the steward console lists another account with its action buttons
  await signIn(page, steward);
  for (const p of ['/steward', '/steward/reveals', '/feeds', '/clusters', '/account/security', '/account/step-up']) await axe(page, p);

  const ctx = await browser.newContext();
  const cu = await ctx.newPage();
  await signIn(cu, await createUser('checkuser'));
  for (const p of ['/checkuser', '/blocks']) await axe(cu, p);
  await ctx.close();
});
