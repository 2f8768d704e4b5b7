import { randomUUID } from 'node:crypto';
import { createUser, expect, signIn, test } from './fixtures';
import { signedHeaders } from './ingest';

/**
 * A sock wave sent by the trusted producer (four temporary accounts from one /24, blanking the same three
 * pages within minutes) is found as one cluster that explains itself; patrollers see it on /clusters and as
 * badges in the queue — with temporary-account names and pseudonyms, never the addresses.
 */
const IPS = ['203.0.113.11', '203.0.113.23', '203.0.113.37', '203.0.113.49'];


test('a wave of temporary accounts from one /24 becomes a cluster with its reasons', async ({ page, request }) => {
  const run = randomUUID().slice(0, 4);
  const users = IPS.map((_, i) => `~2026-${run.replace(/[^0-9]/g, '7').padEnd(5, '7').slice(0, 5)}-${10 + i}`);
  const now = Math.floor(Date.now() / 1000);
  const events = [];
  for (let round = 0; round < 3; round++)
    for (let i = 0; i < IPS.length; i++)
      events.push({
        meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
        id: Math.floor(Math.random() * 1e9),
        type: 'edit',
        namespace: 0,
        title: `E2E wave ${run} page ${round + 1}`,
        comment: 'lol',
        timestamp: now - 60 + round * 15 + i * 3,
        user: users[i],
        bot: false,
        minor: false,
        length: { old: 6000, new: 12 },
        revision: { old: 1000 + round * 10 + i, new: 1001 + round * 10 + i },
        wiki: 'enwiki',
        server_url: 'https://en.wikipedia.org',
        ip: IPS[i],
      });
  const body = JSON.stringify({ events });
  const r = await request.post('/api/ingest', { data: body, headers: signedHeaders(body) });
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

  await page.goto('/queue');
  const mine = page.getByTestId('edit-row').filter({ hasText: `E2E wave ${run}` });
  await expect(mine.first()).toBeVisible();
  await expect(mine.first().getByTestId('cluster-badge')).toHaveText(/^C-[0-9A-F]{6}$/);
});
