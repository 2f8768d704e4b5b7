import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ORIGIN, createUser, expect, signIn, test } from './fixtures';
import { postWave, type Wave } from './ingest';

/**
 * Blocks by pseudonym, on the demo feed's own vandal wave (temporary accounts hopping through 203.0.113.0/24, on for
 * the whole e2e run: playwright.config.ts): an admin finds the wave in the live queue, opens its cluster, previews
 * the collateral of its /24 and range-blocks it — without any address on screen; the wave's next edit (posted by
 * the trusted producer from another address of that /24) shows as block evasion in the live queue within a second;
 * the block is listed on /blocks with its evasion count and is lifted there; a patroller gets no block dialog and
 * the block routes answer 403.
 */
const WAVE_NET = '203.0.113.';
const NEXT_IP = '203.0.113.250';

function wave(run: string, users: string[], over: Partial<Wave> = {}): Wave {
  return {
    ips: [NEXT_IP],
    users,
    title: () => `E2E block ${run} page 9`,
    comment: () => 'lol',
    startSecondsAgo: 1,
    roundGap: 15,
    editGap: 3,
    length: { old: 6000, new: 12 },
    revisionBase: 3900,
    rounds: 1,
    ...over,
  };
}

async function noAddress(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toContain(WAVE_NET);
}

/** The demo wave's newest row in the open queue: a blanking edit (≤ −2,000 bytes) with an R24 badge and a cluster. */
async function demoWave(page: Page): Promise<{ r24: string; clusterHref: string }> {
  let found: { r24: string; clusterHref: string } | null = null;
  await expect
    .poll(
      async () => {
        const rows = await page.locator('tr[data-id]').evaluateAll((els) =>
          els.map((e) => ({
            size: Number((e.querySelector('td.c-size')?.textContent ?? '').replace(/[^\d-]/g, '') || 'NaN'),
            r24: [...e.querySelectorAll('td.c-ranges .badge')].map((b) => b.textContent ?? '').find((t) => t.startsWith('R24-')) ?? null,
            href: e.querySelector('[data-testid="cluster-badge"]')?.getAttribute('href') ?? null,
          })),
        );
        const byRange = new Map<string, typeof rows>();
        for (const r of rows.filter((x) => x.size <= -2000 && x.r24 && x.href)) byRange.set(r.r24!, [...(byRange.get(r.r24!) ?? []), r]);
        const best = [...byRange.values()].sort((a, b) => b.length - a.length)[0] ?? [];
        found = best.length >= 3 ? { r24: best[0]!.r24!, clusterHref: best[0]!.href! } : null;
        return best.length;
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(3);
  return found!;
}

test("an admin range-blocks the demo vandal wave's /24 from its cluster page; its next edit is evasion in the queue within 1 s", async ({ page, request, browser }) => {
  test.setTimeout(180_000);
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '5').slice(0, 5);
  const admin = await createUser('admin');
  await signIn(page, admin);
  await page.goto('/queue?wiki=enwiki&cluster=1');
  await expect(page.getByTestId('live-state')).toHaveText(/^Live/, { timeout: 20_000 });
  const { r24, clusterHref } = await demoWave(page);

  await page.goto(clusterHref);
  await expect(page.getByTestId('cluster-title')).toBeVisible();
  await page.getByTestId('block-open').click();
  const dialog = page.getByTestId('block-dialog');
  await expect(dialog).toBeVisible();
  const option = dialog.getByTestId('block-target').locator('option', { hasText: r24 });
  await dialog.getByTestId('block-target').selectOption((await option.getAttribute('value'))!);
  await expect(dialog.getByTestId('block-prefix')).toHaveValue('24');
  await expect(dialog.getByTestId('block-submit')).toBeDisabled();
  await dialog.getByTestId('block-preview').click();
  await expect(dialog.getByTestId('collateral-counts')).toContainText(/[1-9]\d* edits · \d+ IP actors · [1-9]\d* temporary accounts · \d+ registered users/);
  await dialog.getByTestId('block-reason').fill(`wave ${run}`);
  await dialog.getByTestId('block-submit').click();
  await expect(dialog.getByTestId('block-status')).toContainText(`${r24} is blocked`);
  await noAddress(page);

  // the queue, live, in a second tab of the same admin
  const queue = await page.context().newPage();
  await queue.goto(`/queue?q=${encodeURIComponent(`E2E block ${run} page 9`)}`);
  await expect(queue.getByTestId('live-state')).toHaveText(/^Live/, { timeout: 20_000 });
  const next = await postWave(request, wave(run, [`~2026-${run}-99`]));
  expect((await next.json()).stored).toBe(1);
  const evasion = queue.getByTestId('edit-row').filter({ hasText: `E2E block ${run} page 9` });
  await expect(evasion.locator('.badge.evasion')).toBeVisible({ timeout: 1_000 });
  await expect(evasion).toHaveAttribute('data-evasion', 'true');
  await noAddress(queue);

  // the block is listed with its evasion count
  await page.goto('/blocks');
  const listed = page.getByTestId('block-row').filter({ hasText: `wave ${run}` });
  await expect(listed).toHaveCount(1);
  // the posted edit, and whatever the demo wave sent from the /24 since
  await expect(listed.getByTestId('block-evasions')).toHaveText(/^[1-9]\d*$/);
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
  await ppage.goto(clusterHref);
  await expect(ppage.getByTestId('cluster-title')).toBeVisible();
  await expect(ppage.getByTestId('block-open')).toHaveCount(0);
  const clusterId = ppage.url().split('/clusters/')[1]!;
  const choices = await ppage.request.get(`/api/blocks/choices?cluster=${clusterId}`);
  expect(choices.status()).toBe(403);
  const create = await ppage.request.post('/api/blocks', {
    data: { target: { type: 'account', name: `~2026-${run}-99` }, options: { wiki: 'enwiki', expiry: '1 day', reasonPreset: 'Vandalism' } },
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
