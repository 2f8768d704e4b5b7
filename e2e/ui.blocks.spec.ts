import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ORIGIN, createUser, expect, signIn, test } from './fixtures';
import { postWave, type Wave } from './ingest';

/**
 * Blocks by pseudonym: an admin range-blocks a vandal wave's /24 from its cluster page after seeing the
 * collateral preview; the wave's next edit shows as block evasion in the live queue within a second; a
 * patroller gets no block dialog and the server refuses the block routes with 403. No page shows an address.
 */
const IPS = ['198.18.47.11', '198.18.47.23', '198.18.47.37', '198.18.47.49'];

function wave(run: string, users: string[], over: Partial<Wave> = {}): Wave {
  return {
    ips: IPS,
    users,
    title: (round) => `E2E block ${run} page ${round + 1}`,
    comment: () => 'lol',
    startSecondsAgo: 60,
    roundGap: 15,
    editGap: 3,
    length: { old: 6000, new: 12 },
    revisionBase: 3000,
    ...over,
  };
}

async function noAddress(page: Page) {
  const text = await page.locator('body').innerText();
  for (const ip of IPS) expect(text).not.toContain(ip);
  expect(text).not.toContain('198.18.47.0');
}

test('an admin range-blocks a wave from its cluster page; the next edit is evasion in the queue within 1 s', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '5').slice(0, 5);
  const users = IPS.map((_, i) => `~2026-${run}-${30 + i}`);
  const r = await postWave(request, wave(run, users));
  expect(r.status()).toBe(200);
  expect((await r.json()).stored).toBe(12);

  const admin = await createUser('admin');
  await signIn(page, admin);
  await page.goto('/clusters');
  const row = page.getByTestId('cluster-row').filter({ hasText: users[0]! });
  await expect(row).toHaveCount(1);
  await row.getByTestId('cluster-link').click();
  await expect(page.getByTestId('cluster-title')).toBeVisible();

  await page.getByTestId('block-open').click();
  const dialog = page.getByTestId('block-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('block-target')).toContainText(/range R24-/);
  await expect(dialog.getByTestId('block-prefix')).toHaveValue('24');
  await expect(dialog.getByTestId('block-submit')).toBeDisabled();
  await dialog.getByTestId('block-preview').click();
  await expect(dialog.getByTestId('collateral-counts')).toContainText('12 edits');
  await expect(dialog.getByTestId('collateral-counts')).toContainText('4 temporary accounts');
  await dialog.getByTestId('block-reason').fill(`wave ${run}`);
  await dialog.getByTestId('block-submit').click();
  await expect(dialog.getByTestId('block-status')).toContainText(/R24-[0-9A-Z]{4}-[0-9A-Z]{4} is blocked/);
  await noAddress(page);

  // the queue, live, in a second tab of the same admin
  const queue = await page.context().newPage();
  await queue.goto(`/queue?q=${encodeURIComponent(`E2E block ${run} page 9`)}`);
  await expect(queue.getByTestId('live-state')).toHaveText(/^Live/, { timeout: 20_000 });
  const next = await postWave(request, wave(run, [`~2026-${run}-99`], { ips: [IPS[0]!], rounds: 1, title: () => `E2E block ${run} page 9`, startSecondsAgo: 1, revisionBase: 3900 }));
  expect((await next.json()).stored).toBe(1);
  const evasion = queue.getByTestId('edit-row').filter({ hasText: `E2E block ${run} page 9` });
  await expect(evasion.locator('.badge.evasion')).toBeVisible({ timeout: 1_000 });
  await expect(evasion).toHaveAttribute('data-evasion', 'true');
  await noAddress(queue);

  // the block is listed with its evasion count
  await page.goto('/blocks');
  const listed = page.getByTestId('block-row').filter({ hasText: `wave ${run}` });
  await expect(listed).toHaveCount(1);
  await expect(listed.getByTestId('block-evasions')).toHaveText('1');
  await expect(page.getByTestId('block-log')).toContainText('block.create');
  await noAddress(page);
  const label = (await listed.locator('td').first().innerText()).trim();
  await listed.getByTestId('block-unblock').click();
  await listed.getByTestId('unblock-reason').fill('e2e: lifted');
  await listed.getByTestId('unblock-confirm').click();
  await expect(page.getByTestId('block-row').filter({ hasText: `wave ${run}` })).toHaveCount(0);
  await expect(page.getByTestId('ended-blocks')).toContainText(`${label} on enwiki: unblocked`);
  await expect(page.getByTestId('block-log')).toContainText('block.remove');

  // a patroller: no dialog, and the routes refuse with 403
  const patroller = await createUser('patroller');
  const pctx = await browser.newContext();
  const ppage = await pctx.newPage();
  await signIn(ppage, patroller);
  await ppage.goto('/clusters');
  await ppage.getByTestId('cluster-row').filter({ hasText: users[0]! }).getByTestId('cluster-link').click();
  await expect(ppage.getByTestId('cluster-title')).toBeVisible();
  await expect(ppage.getByTestId('block-open')).toHaveCount(0);
  const clusterId = ppage.url().split('/clusters/')[1]!;
  const choices = await ppage.request.get(`/api/blocks/choices?cluster=${clusterId}`);
  expect(choices.status()).toBe(403);
  const create = await ppage.request.post('/api/blocks', {
    data: { target: { type: 'account', name: users[1] }, options: { wiki: 'enwiki', expiry: '1 day', reasonPreset: 'Vandalism' } },
    headers: { Origin: ORIGIN },
  });
  expect(create.status()).toBe(403);
  const mass = await ppage.request.post('/api/blocks/mass', {
    data: { clusterId, options: { wiki: 'enwiki', expiry: '1 day', reasonPreset: 'Vandalism' } },
    headers: { Origin: ORIGIN },
  });
  expect(mass.status()).toBe(403);
  await pctx.close();
});
