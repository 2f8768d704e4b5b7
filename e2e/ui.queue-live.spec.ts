import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { createUser, expect, signIn, test } from './fixtures';
import { signedHeaders } from './ingest';

/**
 * The live queue: edits posted by the trusted producer appear without a reload, the keyboard drives the
 * selection and the review, a second patroller sees "reviewed by …" live and after reload, filters live in the
 * URL, ? opens the help, and axe finds no serious or critical violation.
 */

async function postEdits(request: APIRequestContext, run: string, n: number, ip: string) {
  const now = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: n }, (_, i) => ({
    meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
    id: Math.floor(Math.random() * 1e9),
    type: 'edit',
    namespace: 0,
    title: `Live ${run} page ${i + 1}`,
    comment: 'test edit',
    timestamp: now - n + i,
    user: `~2026-${String(10000 + Math.floor(Math.random() * 89999))}-${10 + i}`,
    bot: false,
    minor: false,
    length: { old: 500, new: 520 },
    revision: { old: 2000 + i, new: 2001 + i },
    wiki: 'enwiki',
    server_url: 'https://en.wikipedia.org',
    ip,
  }));
  const body = JSON.stringify({ events });
  const r = await request.post('/api/ingest', { data: body, headers: signedHeaders(body) });
  expect(r.status()).toBe(200);
  expect((await r.json()).stored).toBe(n);
}

const rows = (page: Page, run: string) => page.getByTestId('edit-row').filter({ hasText: `Live ${run}` });
const live = (page: Page) => expect(page.getByTestId('live-state')).toHaveText(/^Live/, { timeout: 20_000 });

test('new edits appear live; j/k select, r reviews, and a second patroller sees it without reload', async ({ page, browser, request }) => {
  const run = randomUUID().slice(0, 8);
  const [alice, bob] = await Promise.all([createUser('patroller'), createUser('patroller', 'enwiki')]);
  await signIn(page, alice);
  await page.goto(`/queue?q=${encodeURIComponent(`Live ${run}`)}`);
  await live(page);
  await expect(page.getByTestId('queue-empty')).toBeVisible();

  const bobCtx = await browser.newContext();
  const bobPage = await bobCtx.newPage();
  await signIn(bobPage, bob);
  await bobPage.goto(`/queue?q=${encodeURIComponent(`Live ${run}`)}`);
  await live(bobPage);

  // no reload from here on: the edits arrive over the live stream
  await postEdits(request, run, 2, '198.51.100.77');
  await expect(rows(page, run)).toHaveCount(2, { timeout: 5_000 });
  await expect(rows(bobPage, run)).toHaveCount(2, { timeout: 5_000 });
  await expect(page.getByTestId('arrivals')).toContainText('2 new edits');
  // newest first; nothing on the page looks like an IP address
  await expect(rows(page, run).first()).toContainText(`Live ${run} page 2`);
  expect(await page.locator('main').innerText()).not.toContain('198.51.100.77');

  await page.keyboard.press('j');
  await expect(page.locator('tr.selected')).toContainText('page 2');
  await page.keyboard.press('j');
  await expect(page.locator('tr.selected')).toContainText('page 1');
  await page.keyboard.press('k');
  await expect(page.locator('tr.selected')).toContainText('page 2');
  await expect(page.locator('tr.selected')).toBeFocused();

  await page.keyboard.press('r');
  const reviewed = (p: Page) => rows(p, run).filter({ hasText: 'page 2' }).getByTestId('review-state');
  await expect(reviewed(page)).toHaveText(`reviewed by ${alice.username}`);
  await expect(reviewed(bobPage)).toHaveText(`reviewed by ${alice.username}`);
  await expect(rows(bobPage, run).filter({ hasText: 'page 1' }).getByTestId('review-state')).toHaveText('unreviewed');
  await bobPage.reload();
  await expect(reviewed(bobPage)).toHaveText(`reviewed by ${alice.username}`);

  // keys are ignored while typing; / focuses the filter
  await page.keyboard.press('/');
  await expect(page.getByTestId('queue-search')).toBeFocused();
  await page.keyboard.press('r');
  await expect(page.getByTestId('queue-search')).toHaveValue(`Live ${run}r`);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('queue-search')).not.toBeFocused();
  await bobCtx.close();
});

test('filters live in the URL and survive a reload; ? opens the shortcut help', async ({ page, request }) => {
  const run = randomUUID().slice(0, 8);
  const p = await createUser('patroller');
  await postEdits(request, run, 3, '198.51.100.78');
  await signIn(page, p);
  await page.goto(`/queue?q=${encodeURIComponent(`Live ${run}`)}`);
  await expect(rows(page, run)).toHaveCount(3);
  await rows(page, run).filter({ hasText: 'page 3' }).getByRole('button', { name: /^Mark reviewed/ }).click();
  await expect(rows(page, run).filter({ hasText: 'page 3' }).getByTestId('review-state')).toHaveText(`reviewed by ${p.username}`);

  await page.getByLabel('Unreviewed only').check();
  await page.getByLabel('Only IP editors and temporary accounts').check();
  await expect(page).toHaveURL(/unreviewed=1/);
  await expect(page).toHaveURL(/anon=1/);
  await expect(rows(page, run)).toHaveCount(2);
  await page.reload();
  await expect(page.getByLabel('Unreviewed only')).toBeChecked();
  await expect(page.getByLabel('Only IP editors and temporary accounts')).toBeChecked();
  await expect(page.getByTestId('queue-search')).toHaveValue(`Live ${run}`);
  await expect(rows(page, run)).toHaveCount(2);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Block… dialog');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the queue has no serious or critical accessibility violations (axe)', async ({ page, request }) => {
  const run = randomUUID().slice(0, 8);
  await postEdits(request, run, 2, '198.51.100.79');
  const p = await createUser('patroller');
  await signIn(page, p);
  await page.goto('/queue');
  await live(page);
  await expect(page.getByTestId('edit-row').first()).toBeVisible();
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.html ?? ''}`)).toEqual([]);
});
