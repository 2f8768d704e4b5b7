import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { mediaWikiInstalled, MEDIAWIKI_ADMIN, MEDIAWIKI_MISSING } from '../tests/helpers/mediawiki';
import { accountEdit, anonymousEdit, wikiBlocks } from '../tests/helpers/mediawiki-client';
import { E2E_MW_BOT_PASSWORD, E2E_MW_WIKI, e2eMediaWikiPort } from './constants';
import { E2E_DIR, createUser, expect, signIn, test } from './fixtures';

/**
 * The real MediaWiki round trip through the real server and UI (e2e/mediawiki-server.ts; the server ingests the
 * wiki's recent changes and pushes blocks to it, playwright.config.ts). Anonymous vandals hop through
 * 127.0.1.0/24 and innocent editors write from 127.0.2.0/24; an admin finds the vandals' cluster in the queue and
 * range-blocks its /24 by pseudonym while the wiki is down: the block's page shows it pending with the error; the
 * wiki comes back and the block reaches it; the wiki refuses the next edit from that /24 and not from the other;
 * unblocking lifts it; the block's page lists every step, no address is on any page, and the server's log has
 * neither an address nor the bot password.
 */
const MW_PORT = e2eMediaWikiPort();
const API = `http://127.0.0.1:${MW_PORT}/w/api.php`;
const CONTROL = `http://127.0.0.1:${MW_PORT + 1}`;
const BOT_USER = `${MEDIAWIKI_ADMIN}@maskpatrol`;
const VANDALS = ['127.0.1.10', '127.0.1.11', '127.0.1.12', '127.0.1.13'];
const INNOCENT = ['127.0.2.20', '127.0.2.21', '127.0.2.22'];
const LONG = 'An encyclopedic paragraph about a quiet village. '.repeat(60);

// without the package the wiki cannot run here; under CI playwright.config.ts starts it regardless, so this fails there
test.skip(!process.env.CI && !mediaWikiInstalled(), MEDIAWIKI_MISSING);

async function noAddress(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/127\.0\.[12]\./);
}

async function control(what: 'kill' | 'restart') {
  const r = await fetch(`${CONTROL}/${what}`, { method: 'POST' });
  expect(r.status).toBe(204);
}

/** Reload the block's page until its sync status is `status`. */
async function syncStatus(page: Page, status: string) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId('block-sync-status').getAttribute('data-status');
      },
      { timeout: 30_000, intervals: [500] },
    )
    .toBe(status);
}

test('a range block placed by pseudonym reaches the real MediaWiki, survives the wiki being down, and is lifted', async ({ page }) => {
  test.setTimeout(240_000);
  const run = Date.now().toString(36);
  const pages = [`Vandal target ${run} A`, `Vandal target ${run} B`];
  for (const title of pages) await accountEdit(API, BOT_USER, E2E_MW_BOT_PASSWORD, title, LONG, 'seed');
  for (const [i, ip] of VANDALS.entries()) for (const title of pages) expect(await anonymousEdit(API, ip, title, `lol ${i}`, 'lol')).toBeNull();
  for (const [i, ip] of INNOCENT.entries()) expect(await anonymousEdit(API, ip, `Innocent ${run} ${i}`, `${LONG} ${i}`, 'new article')).toBeNull();

  const admin = await createUser('admin', E2E_MW_WIKI);
  await signIn(page, admin);
  // the vandals' edits, ingested from the wiki, each with an R24 badge and the cluster that holds them all
  let found: { r24: string; href: string } | null = null;
  await expect
    .poll(
      async () => {
        await page.goto(`/queue?wiki=${E2E_MW_WIKI}&q=${encodeURIComponent(`Vandal target ${run}`)}`);
        const rows = await page.locator('tr[data-id]').evaluateAll((els) =>
          els.map((e) => ({
            r24: [...e.querySelectorAll('td.c-ranges .badge')].map((b) => b.textContent ?? '').find((t) => t.startsWith('R24-')) ?? null,
            href: e.querySelector('[data-testid="cluster-badge"]')?.getAttribute('href') ?? null,
          })),
        );
        const clustered = rows.filter((r) => r.r24 && r.href);
        found = clustered[0] ? { r24: clustered[0].r24!, href: clustered[0].href! } : null;
        return clustered.length;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(3);
  await noAddress(page);
  const { r24, href } = found!;

  await page.goto(href);
  await expect(page.getByTestId('cluster-title')).toBeVisible();
  await noAddress(page);

  // the wiki goes down before the block is placed
  await control('kill');
  await page.getByTestId('block-open').click();
  const dialog = page.getByTestId('block-dialog');
  const option = dialog.getByTestId('block-target').locator('option', { hasText: r24 });
  await dialog.getByTestId('block-target').selectOption((await option.getAttribute('value'))!);
  await expect(dialog.getByTestId('block-prefix')).toHaveValue('24');
  await expect(dialog.getByTestId('block-wiki')).toHaveValue(E2E_MW_WIKI);
  await dialog.getByTestId('block-preview').click();
  await expect(dialog.getByTestId('collateral-counts')).toBeVisible();
  await dialog.getByTestId('block-reason').fill(`mw ${run}`);
  await dialog.getByTestId('block-submit').click();
  await expect(dialog.getByTestId('block-status')).toContainText(`${r24} is blocked`);

  await page.goto('/blocks');
  const row = page.getByTestId('block-row').filter({ hasText: `mw ${run}` });
  await row.getByTestId('block-link').click();
  await expect(page.getByTestId('block-title')).toContainText(r24);
  await syncStatus(page, 'pending');
  await expect(page.getByTestId('block-sync-error')).toContainText('network');
  await noAddress(page);

  await control('restart');
  await syncStatus(page, 'done');
  await expect(page.getByTestId('block-sync-error')).toHaveText('—');
  const remoteId = Number(await page.getByTestId('block-remote-id').innerText());
  expect(await wikiBlocks(API)).toEqual([expect.objectContaining({ id: remoteId, user: '127.0.1.0/24' })]);
  expect(await anonymousEdit(API, '127.0.1.77', pages[0]!, 'again')).toBe('blocked');
  expect(await anonymousEdit(API, '127.0.2.5', `Innocent ${run} 0`, `${LONG} fixed`, 'copyedit')).toBeNull();
  const blockPage = page.url();

  await page.goto('/blocks');
  await row.getByTestId('block-unblock').click();
  await row.getByTestId('unblock-reason').fill('e2e: lifted');
  await row.getByTestId('unblock-confirm').click();
  await expect(page.getByTestId('block-row').filter({ hasText: `mw ${run}` })).toHaveCount(0);
  await page.goto(blockPage);
  await expect(page.getByTestId('block-state')).toContainText('ended (unblocked)');
  await expect.poll(async () => (await wikiBlocks(API)).length, { timeout: 30_000 }).toBe(0);
  expect(await anonymousEdit(API, '127.0.1.78', pages[0]!, 'restored', 'revert')).toBeNull();
  await syncStatus(page, 'done');

  // every step on the block's own log, newest first
  const log = await page.getByTestId('block-detail-log').locator('li').allInnerTexts();
  expect(log.map((l) => /block\.[a-z-]+/.exec(l)?.[0])).toEqual(['block.sync', 'block.remove', 'block.sync', 'block.sync-failed', 'block.create']);
  await noAddress(page);

  // the JSON twins carry no address either
  for (const url of ['/api/blocks', `/api/clusters/${href.split('/clusters/')[1]}`, '/api/overview', '/api/feeds']) {
    const r = await page.request.get(url);
    expect(r.status(), url).toBe(200);
    expect(await r.text(), url).not.toMatch(/127\.0\.[12]\./);
  }

  const serverLog = fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8');
  expect(serverLog).not.toContain(E2E_MW_BOT_PASSWORD);
  expect(serverLog).not.toMatch(/127\.0\.[12]\.\d/);
});
