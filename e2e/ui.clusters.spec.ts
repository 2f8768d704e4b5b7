import { randomUUID } from 'node:crypto';
import { createUser, expect, signIn, test } from './fixtures';
import { postWave } from './ingest';

/**
 * A sock wave sent by the trusted producer (four temporary accounts from one /24, blanking the same three
 * pages within minutes) is found as one cluster that explains itself; patrollers see it on /clusters and as
 * badges in the queue — with temporary-account names and pseudonyms, never the addresses.
 */
// a /24 of the benchmarking block that the demo feed never uses (its vandal wave is 203.0.113.0/24)
const IPS = ['198.18.7.11', '198.18.7.23', '198.18.7.37', '198.18.7.49'];


test('a wave of temporary accounts from one /24 becomes a cluster with its reasons', async ({ page, request }) => {
  const run = randomUUID().slice(0, 4);
  const users = IPS.map((_, i) => `~2026-${run.replace(/[^0-9]/g, '7').padEnd(5, '7').slice(0, 5)}-${10 + i}`);
  const r = await postWave(request, {
    ips: IPS,
    users,
    title: (round) => `E2E wave ${run} page ${round + 1}`,
    comment: () => 'lol',
    startSecondsAgo: 60,
    roundGap: 15,
    editGap: 3,
    length: { old: 6000, new: 12 },
    revisionBase: 1000,
  });
  expect(r.status()).toBe(200);
  expect((await r.json()).stored).toBe(12);

  const patroller = await createUser('patroller');
  await signIn(page, patroller);
  await page.goto('/clusters');
  const row = page.getByTestId('cluster-row').filter({ hasText: users[0]! });
  await expect(row).toHaveCount(1);
  for (const u of users) await expect(row).toContainText(u);
  await expect(row).toContainText('/24');
  const text = await page.locator('main').innerText();
  for (const ip of IPS) expect(text).not.toContain(ip);

  await page.goto(`/queue?q=${encodeURIComponent(`E2E wave ${run}`)}`);
  const mine = page.getByTestId('edit-row').filter({ hasText: `E2E wave ${run}` });
  await expect(mine.first()).toBeVisible();
  await expect(mine.first().getByTestId('cluster-badge')).toHaveText(/^C-[0-9A-F]{6}$/);
});
