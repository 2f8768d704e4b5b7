import type { Page } from '@playwright/test';
import { createUser, expect, signIn, test } from './fixtures';

/**
 * Step 6's acceptance run on the demo feed itself (no edits posted by the test): the e2e server runs the demo
 * generator as a first start does, with its vandal wave on for the whole run (playwright.config.ts). The wave —
 * temporary accounts hopping through one IPv4 /24, blanking pages — arrives in the open queue without a reload,
 * grouped in one cluster; the patroller opens that cluster from the queue with the keyboard, comes back and
 * marks wave edits reviewed; a second patroller sees "reviewed by …" live, and after a reload.
 */

interface RowInfo {
  id: string;
  title: string;
  size: number;
  r24: string | null;
  cluster: string | null;
}

/** What the rendered queue rows show (the virtualised table renders the visible rows: the newest are on top). */
function rowInfos(page: Page): Promise<RowInfo[]> {
  return page.locator('tr[data-id]').evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-id') ?? '',
      title: e.querySelector('td.c-page a, td.c-page')?.textContent?.trim() ?? '',
      size: Number((e.querySelector('td.c-size')?.textContent ?? '').replace(/[^\d-]/g, '') || 'NaN'),
      r24: [...e.querySelectorAll('td.c-ranges .badge')].map((b) => b.textContent ?? '').find((t) => t.startsWith('R24-')) ?? null,
      cluster: e.querySelector('[data-testid="cluster-badge"]')?.textContent ?? null,
    })),
  );
}

/** Move the keyboard selection down with j until the row with that id is selected. */
async function selectWithKeyboard(page: Page, id: string) {
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  for (let i = 0; i < 300; i++) {
    if ((await page.evaluate(() => document.querySelector('tr.selected')?.getAttribute('data-id'))) === id) return;
    await page.keyboard.press('j');
  }
  throw new Error(`row ${id} was never selected`);
}

const live = (page: Page) => expect(page.getByTestId('live-state')).toHaveText(/^Live/, { timeout: 20_000 });

test("the demo feed's vandal wave arrives live as one cluster; c opens it; reviews reach a second patroller", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const [alice, bob] = await Promise.all([createUser('patroller'), createUser('patroller', 'enwiki')]);
  await signIn(page, alice);
  await page.goto('/queue?wiki=enwiki&cluster=1');
  await live(page);
  const before = new Set((await rowInfos(page)).map((r) => r.id));

  // no reload from here: wave edits (blanking, ≤ −2,000 bytes, from one /24) arrive over the live stream
  let wave: RowInfo[] = [];
  await expect
    .poll(
      async () => {
        const fresh = (await rowInfos(page)).filter((r) => !before.has(r.id) && r.size <= -2000 && r.r24);
        const byRange = new Map<string, RowInfo[]>();
        for (const r of fresh) byRange.set(r.r24!, [...(byRange.get(r.r24!) ?? []), r]);
        wave = [...byRange.values()].sort((a, b) => b.length - a.length)[0] ?? [];
        return wave.length;
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(3);
  // grouped in one cluster: the newest wave edits carry the same cluster badge
  const newest = wave.slice(0, 3);
  expect(new Set(newest.map((r) => r.cluster)).size).toBe(1);
  const clusterLabel = newest[0]!.cluster!;
  expect(clusterLabel).toMatch(/^C-[0-9A-F]{6}$/);

  // freeze the queue, select a wave edit with j, open its cluster with c
  await page.getByTestId('pause').click();
  const first = newest[0]!;
  await selectWithKeyboard(page, first.id);
  await page.keyboard.press('c');
  await expect(page).toHaveURL(/\/clusters\/[^/?]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(clusterLabel);
  await expect(page.locator('main')).toContainText('/24');
  expect(await page.locator('main').innerText()).not.toMatch(/203\.0\.113\.\d/);

  // back in the queue (reloaded from the server), two of the wave's edits on screen are the ones to review
  await page.goBack();
  await live(page);
  // the restored page catches up with what arrived meanwhile (or reloads when that is more than the stream replays)
  await expect(page.locator(`tr[data-id="${first.id}"]`)).toHaveCount(1);
  await page.getByTestId('pause').click();
  const targets = (await rowInfos(page)).filter((r) => r.r24 === first.r24 && r.size <= -2000).slice(0, 2);
  expect(targets).toHaveLength(2);

  // a second patroller watches the page of the first one
  const bobCtx = await browser.newContext();
  const bobPage = await bobCtx.newPage();
  await signIn(bobPage, bob);
  await bobPage.goto(`/queue?wiki=enwiki&q=${encodeURIComponent(targets[0]!.title)}`);
  await live(bobPage);
  const bobState = bobPage.locator(`tr[data-id="${targets[0]!.id}"]`).getByTestId('review-state');
  await expect(bobState).toHaveText('unreviewed');

  // mark them reviewed from the keyboard
  await page.bringToFront();
  for (const r of targets) {
    await selectWithKeyboard(page, r.id);
    await page.keyboard.press('r');
    await expect(page.locator(`tr[data-id="${r.id}"]`).getByTestId('review-state')).toHaveText(`reviewed by ${alice.username}`);
  }
  await expect(bobState).toHaveText(`reviewed by ${alice.username}`);
  await bobPage.reload();
  await expect(bobState).toHaveText(`reviewed by ${alice.username}`);
  await bobCtx.close();
});
