import { randomUUID } from 'node:crypto';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createUser, expect, signIn, test } from './fixtures';
import { postWave } from './ingest';

/**
 * The entity pages as a patroller walks them: a /24 wave of temporary accounts (sent with their addresses by
 * the trusted producer) → its cluster from /clusters → a member's actor page → its /24 range page (actor
 * counts as buckets) → the overview. Each page: no address in the text, no CSP violation in the console, no
 * serious or critical axe-core violation, and a screenshot in docs/screenshots for the README.
 */
// a /24 the demo feed never uses (its school is 198.51.100.0/24, active on weekday mornings)
const IPS = ['198.18.9.12', '198.18.9.24', '198.18.9.36', '198.18.9.48'];
const BUCKET = /^(0|1–2|3–5|6–10|11\+)$/;


async function check(page: Page, name: string, problems: string[]) {
  await page.waitForLoadState('networkidle');
  const text = await page.locator('body').innerText();
  for (const ip of IPS) expect(text, `${name} shows an address`).not.toContain(ip);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${name}: axe`).toEqual([]);
  await page.screenshot({ path: path.resolve('docs/screenshots', `${name}.png`), fullPage: true });
  expect(problems, `${name}: console`).toEqual([]);
}

test('a patroller follows a wave from its cluster to an actor, its range and the overview', async ({ page, request }) => {
  test.setTimeout(120_000);
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '3').slice(0, 5);
  const users = IPS.map((_, i) => `~2026-${run}-${20 + i}`);
  const r = await postWave(request, {
    ips: IPS,
    users,
    title: (round) => `E2E pages ${run} page ${round + 1}`,
    comment: (round, i) => (round === 0 ? 'lol' : `see ${IPS[i]}`),
    startSecondsAgo: 90,
    roundGap: 20,
    editGap: 4,
    length: { old: 5000, new: 20 },
    revisionBase: 2000,
  });
  expect(r.status()).toBe(200);
  expect((await r.json()).stored).toBe(12);

  // signed out: the JSON APIs answer 401
  expect((await request.get('/api/overview')).status()).toBe(401);

  const problems: string[] = [];
  page.on('console', (m) => {
    // the app has no favicon (a 404 the browser asks for on its own, not a page problem)
    if (m.location().url.endsWith('/favicon.ico')) return;
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  const patroller = await createUser('patroller');
  await signIn(page, patroller);

  // the cluster, from the list
  await page.goto('/clusters');
  const row = page.getByTestId('cluster-row').filter({ hasText: users[0]! });
  await expect(row).toHaveCount(1);
  await row.getByTestId('cluster-link').click();
  await expect(page).toHaveURL(/\/clusters\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('cluster-title')).toHaveText(/Cluster C-[0-9A-F]{6}/);
  for (const u of users) await expect(page.getByTestId('cluster-member').filter({ hasText: u })).toHaveCount(1);
  await expect(page.getByTestId('cluster-reasons')).toContainText('/24');
  await expect(page.getByTestId('block-note')).toContainText('Admins, checkusers and stewards can block');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /block/i })).toHaveCount(0);
  const clusterUrl = page.url();
  await check(page, 'cluster', problems);

  // the JSON API of the same cluster: pseudonyms only
  const api = await page.request.get(clusterUrl.replace('/clusters/', '/api/clusters/'));
  expect(api.status()).toBe(200);
  const apiText = await api.text();
  for (const ip of IPS) expect(apiText).not.toContain(ip);

  // a member's actor page
  await page.getByTestId('cluster-member').filter({ hasText: users[0]! }).getByRole('link').click();
  await expect(page.getByTestId('actor-title')).toContainText(users[0]!);
  await expect(page.locator('dl.facts dd').first()).toHaveText('temporary account');
  await expect(page.getByTestId('actor-blocks')).toBeVisible();
  await expect(page.getByTestId('block-open')).toHaveCount(0);
  const r24 = page.getByTestId('range-link').filter({ hasText: /^R24-/ });
  await expect(r24).toHaveCount(1);
  await check(page, 'actor', problems);

  // its /24: the wave's accounts, counts as buckets for a patroller; the /16 above it as a link
  await r24.click();
  await expect(page.getByTestId('range-title')).toContainText('R24-');
  await expect(page.getByTestId('actor-count')).toHaveText(BUCKET);
  await expect(page.getByTestId('count-rule')).toContainText('buckets');
  for (const u of users) await expect(page.getByTestId('range-actor').filter({ hasText: u })).toHaveCount(1);
  for (const cell of await page.getByTestId('range-actor-edits').allInnerTexts()) expect(cell).toMatch(BUCKET);
  await expect(page.getByTestId('wider-range')).toHaveText(/^R16-/);
  const rangeKey = page.url().split('/').pop()!;
  const rangeJson = await (await page.request.get(`/api/ranges/${rangeKey}`)).json();
  expect(rangeJson.actorCount.exact).toBeUndefined();
  expect(rangeJson.actorCount.bucket).toMatch(BUCKET);
  await check(page, 'range', problems);

  // the overview
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('hot-cluster').first()).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await check(page, 'overview', problems);

  // unknown keys: a not-found page with a way forward
  await page.goto(`/actors/${'0'.repeat(64)}`);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the queue' })).toBeVisible();
  expect((await page.request.get(`/api/ranges/${'0'.repeat(64)}`)).status()).toBe(404);
});
