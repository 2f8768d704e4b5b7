import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { createUser, expect, signIn, test } from './fixtures';
import { postWave } from './ingest';

/**
 * IP context (step 9) in the browser: a wave of temporary accounts from one real public /24 (Hetzner's 5.9.1.0/24 in
 * the shipped data) arrives through the signed ingest endpoint; the cluster, a member and its /24 show the network,
 * country and type with the data's attribution; the queue's "only hosting networks" and "country =" filters keep
 * the wave. No address anywhere on the pages.
 */
const IPS = ['5.9.1.71', '5.9.1.72', '5.9.1.73', '5.9.1.74'];

test('network context on the cluster, actor and range pages, and the queue filters', async ({ page, request }) => {
  test.setTimeout(240_000);
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '4').slice(0, 5);
  const users = IPS.map((_, i) => `~2026-${run}-${30 + i}`);
  const r = await postWave(request, {
    ips: IPS,
    users,
    title: (round) => `E2E context ${run} page ${round + 1}`,
    comment: () => 'lol',
    startSecondsAgo: 90,
    roundGap: 20,
    editGap: 4,
    length: { old: 5000, new: 20 },
    revisionBase: 7000,
  });
  expect(r.status()).toBe(200);
  expect((await r.json()).stored).toBe(12);

  const patroller = await createUser('patroller');
  await signIn(page, patroller);
  const noAddress = async (axe = false) => {
    const text = await page.locator('body').innerText();
    for (const ip of [...IPS, '5.9.1.0']) expect(text).not.toContain(ip);
    if (!axe) return;
    const found = await new AxeBuilder({ page }).analyze();
    expect(found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  };
  const hetzner = async () => {
    const section = page.getByTestId('net-context');
    await expect(section.getByTestId('net-row')).toHaveCount(1);
    await expect(section.getByTestId('net-row')).toContainText('AS24940');
    await expect(section.getByTestId('net-row')).toContainText('Hetzner Online GmbH');
    await expect(section.getByTestId('net-row')).toContainText('DE');
    await expect(section.getByTestId('net-row')).toContainText('hosting');
    await expect(section.getByTestId('context-attribution').getByRole('link', { name: 'IP Geolocation by DB-IP' })).toHaveAttribute('href', 'https://db-ip.com');
  };

  // the queue, filtered to hosting networks in Germany: the wave is there, each row with its badge
  await page.goto(`/queue?hosting=1&country=de&q=${encodeURIComponent(`E2E context ${run}`)}`);
  const rows = page.locator('tr', { hasText: `E2E context ${run}` });
  await expect(rows).toHaveCount(12);
  await expect(rows.first().getByTestId('net-badge')).toHaveText('DE · hosting');
  await expect(page.getByTestId('queue-country')).toHaveValue('DE');
  await page.goto(`/queue?country=JP&q=${encodeURIComponent(`E2E context ${run}`)}`);
  await expect(page.locator('tr', { hasText: `E2E context ${run}` })).toHaveCount(0);

  // the cluster: 4 actors, 1 network, 1 country
  const api = await page.request.get(`/api/queue?hosting=1&country=DE&q=${encodeURIComponent(`E2E context ${run}`)}&limit=20`);
  expect(api.status()).toBe(200);
  const { rows: json } = (await api.json()) as { rows: { cluster: { id: string } | null; net: { asn: number; country: string; type: string } | null }[] };
  expect(json).toHaveLength(12);
  expect(json.every((e) => e.net?.asn === 24940 && e.net.country === 'DE' && e.net.type === 'hosting')).toBe(true);
  for (const ip of IPS) expect(JSON.stringify(json)).not.toContain(ip);
  const clusterId = json.find((e) => e.cluster)?.cluster?.id;
  expect(clusterId).toBeTruthy();
  await page.goto(`/clusters/${clusterId}`);
  await expect(page.getByTestId('net-summary')).toHaveText('4 actors, 1 network, 1 country: DE');
  await hetzner();
  await noAddress(true); // axe once (ui.pages and ui.a11y cover the pages' other states)

  // a member and its /24 show the same network (the actor never more than its range)
  await page.getByTestId('cluster-member').filter({ hasText: users[0]! }).getByRole('link').click();
  await expect(page.getByTestId('actor-title')).toContainText(users[0]!);
  await hetzner();
  await noAddress();
  await page.getByTestId('range-link').filter({ hasText: /^R24-/ }).click();
  await expect(page.getByTestId('range-title')).toContainText('R24-');
  await hetzner();
  await expect(page.getByTestId('net-summary')).toHaveText('1 network, 1 country: DE');
  await noAddress();

  // every page carries the attribution in its footer
  await expect(page.locator('footer').getByRole('link', { name: 'IP Geolocation by DB-IP' })).toBeVisible();
});
