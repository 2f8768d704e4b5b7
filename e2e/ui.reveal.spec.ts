import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { findLeaks } from '../tests/helpers/leaks';
import { E2E_REVEAL_DISPLAY_SECONDS } from './constants';
import { createUser, E2E_DIR, expect, signIn, test, totpCode } from './fixtures';
import { postWave } from './ingest';

/**
 * The gated reveal end to end: a steward records a checkuser's access agreement, the checkuser acknowledges
 * it, reveals a temporary account's address from its actor page with a reason and a TOTP code, and sees it
 * vanish after the configured time; the steward then sees the reveal in the trail and the chart. Canary: the
 * address is in the reveal response and nowhere else — not in the server log, the audit rows, the export, any
 * page or any URL.
 */
const CANARY = '198.18.12.231'; // off the demo feed's ranges (lib/feed/demo/data.ts)

test('a checkuser reveals with reason and TOTP; the address disappears; a steward sees the row and the chart', async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '7').slice(0, 5);
  const temp = `~2026-${run}-31`;
  const wave = await postWave(request, {
    ips: [CANARY],
    users: [temp],
    title: (round) => `E2E reveal ${run} page ${round + 1}`,
    comment: () => 'vandalism',
    startSecondsAgo: 60,
    roundGap: 10,
    editGap: 1,
    length: { old: 3000, new: 10 },
    revisionBase: 7000,
  });
  expect(wave.status()).toBe(200);

  const steward = await createUser('steward');
  const checkuser = await createUser('checkuser');
  const urls: string[] = [];
  const stewardCtx = await browser.newContext();
  const sp = await stewardCtx.newPage();
  for (const p of [page, sp]) p.on('request', (r) => urls.push(r.url()));

  // the steward records the signed access agreement (audited)
  await signIn(sp, steward);
  await sp.goto('/steward/reveals');
  const holderRow = sp.getByTestId(`holder-${checkuser.username}`);
  const agreement = holderRow.getByRole('form', { name: `Record agreement for ${checkuser.username}` });
  await agreement.getByLabel('Agreement version').fill('v1');
  await agreement.getByLabel('Signed on').fill('2026-11-01');
  await agreement.getByRole('button', { name: 'Record agreement' }).click();
  await expect(holderRow.getByRole('status')).toContainText('Agreement version v1 recorded');

  // the checkuser acknowledges it, then reveals from the actor page
  await signIn(page, checkuser);
  await page.goto('/checkuser');
  await page.getByLabel(/I have read and accept the access agreement \(version v1\)/).check();
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByTestId('agreement-status')).toContainText('You acknowledged the access agreement version v1');

  await page.goto(`/actors/${encodeURIComponent(temp)}`);
  const panel = page.getByTestId('reveal-panel');
  await panel.getByLabel('Reason category').selectOption('Vandalism or long-term abuse');
  await panel.getByLabel('Reason (at least 20 characters)').fill('Cross-wiki vandalism wave, checking for an open proxy');
  // a wrong code is refused (and audited)
  await panel.getByLabel('Authentication code').fill('000000');
  await panel.getByRole('button', { name: 'Reveal IP' }).click();
  await expect(panel.getByTestId('reveal-error')).toContainText('code was not accepted');
  await panel.getByLabel('Authentication code').fill(await totpCode(checkuser.totpSecret!));
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/reveal')), panel.getByRole('button', { name: 'Reveal IP' }).click()]);
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  expect(response.request().method()).toBe('POST');
  expect(await response.text()).toContain(CANARY); // control: the one place it may be
  await expect(panel.getByTestId('revealed-ip')).toHaveText(CANARY);
  // hidden after the configured time (MASKPATROL_REVEAL_DISPLAY_SECONDS)
  await expect(panel.getByTestId('revealed-ip')).toHaveCount(0, { timeout: (Number(E2E_REVEAL_DISPLAY_SECONDS) + 6) * 1000 });
  await expect(panel.getByTestId('reveal-hidden')).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain(CANARY);
  await panel.screenshot({ path: path.resolve('docs/screenshots', 'reveal-panel.png') });

  // a refusal is answered and audited too: a reason that is too short
  await panel.getByLabel('Reason category').selectOption('Vandalism or long-term abuse');
  await panel.getByLabel('Reason (at least 20 characters)').fill('too short');
  await page.evaluate(() => document.querySelectorAll('textarea').forEach((t) => t.removeAttribute('minlength')));
  await panel.getByRole('button', { name: 'Reveal IP' }).click();
  await expect(panel.getByTestId('reveal-error')).toContainText('at least 20 characters');

  // the steward sees the reveal row, the chart and the refused attempt
  await sp.goto(`/steward/reveals?holder=${checkuser.username}`);
  const row = sp.getByTestId('reveal-row').filter({ hasText: checkuser.username });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Cross-wiki vandalism wave');
  await expect(sp.locator('.recharts-surface').first()).toBeVisible();
  await expect(sp.getByTestId('refused-attempts')).toContainText('reason_too_short');
  await expect(sp.getByTestId('refused-attempts')).toContainText('code_invalid');
  await sp.setViewportSize({ width: 1280, height: 900 });
  await sp.screenshot({ path: path.resolve('docs/screenshots', 'steward-reveals.png'), fullPage: true });

  // a steward may not reveal: no control on the actor page
  await sp.goto(`/actors/${encodeURIComponent(temp)}`);
  await expect(sp.getByTestId('actor-title')).toBeVisible();
  await expect(sp.getByTestId('reveal-panel')).toHaveCount(0);

  // canary: nowhere but the reveal response
  const pages: string[] = [await sp.content()];
  for (const [p, url] of [[sp, '/steward/reveals'], [sp, '/steward'], [page, '/checkuser'], [page, `/actors/${encodeURIComponent(temp)}`]] as const) {
    await p.goto(url);
    pages.push(await p.content());
  }
  const audit = await sp.request.get('/api/audit?limit=1000');
  expect(audit.status()).toBe(200);
  const exported = await sp.request.post('/api/reveal/export', { data: { format: 'json' }, headers: { Origin: new URL(sp.url()).origin } });
  expect(exported.status()).toBe(200);
  const exportText = await exported.text();
  expect(exportText).toContain('Cross-wiki vandalism wave');
  const log = fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8');
  expect(log.length).toBeGreaterThan(0);
  for (const [where, text] of Object.entries({ pages: pages.join('\n'), audit: await audit.text(), export: exportText, log, urls: urls.join('\n') }))
    expect(findLeaks(text, [CANARY]), `the revealed address is in ${where}`).toEqual([]);
  await stewardCtx.close();
});

test('a range reveal: requested from the range page, approved by a steward, revealed once from the checkuser page', async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  const ips = ['198.18.13.21', '198.18.13.42'];
  const run = randomUUID().replace(/[^0-9]/g, '').padEnd(5, '8').slice(0, 5);
  const users = ips.map((_, i) => `~2026-${run}-${40 + i}`);
  const wave = await postWave(request, {
    ips,
    users,
    title: (round) => `E2E range reveal ${run} page ${round + 1}`,
    comment: () => 'spam',
    startSecondsAgo: 60,
    roundGap: 10,
    editGap: 2,
    length: { old: 2000, new: 10 },
    revisionBase: 8000,
  });
  expect(wave.status()).toBe(200);
  const steward = await createUser('steward');
  const checkuser = await createUser('checkuser');
  const sctx = await browser.newContext();
  const sp = await sctx.newPage();
  await signIn(sp, steward);
  await sp.goto('/steward/reveals');
  const agreement = sp.getByTestId(`holder-${checkuser.username}`).getByRole('form', { name: `Record agreement for ${checkuser.username}` });
  await agreement.getByLabel('Agreement version').fill('v2');
  await agreement.getByLabel('Signed on').fill('2026-11-02');
  await agreement.getByRole('button', { name: 'Record agreement' }).click();
  await expect(sp.getByTestId(`holder-${checkuser.username}`)).toContainText('v2 signed 2026-11-02');

  await signIn(page, checkuser);
  await page.goto('/checkuser');
  await page.getByLabel(/I have read and accept the access agreement \(version v2\)/).check();
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByTestId('agreement-status')).toContainText('You acknowledged');

  // from the actor page to its /24, and from there to a prefilled request
  await page.goto(`/actors/${encodeURIComponent(users[0]!)}`);
  await page.getByTestId('range-link').filter({ hasText: /^R24-/ }).click();
  await page.getByTestId('reveal-request-link').click();
  await expect(page).toHaveURL(/\/checkuser\?type=range&key=[0-9a-f]{64}#request$/);
  const form = page.getByRole('form', { name: 'Request a range or cluster reveal' });
  await form.getByLabel('Reason category').selectOption('Sockpuppetry or block evasion');
  await form.getByLabel('Reason (at least 20 characters)').fill('Two temporary accounts on one /24 spamming the same pages');
  await form.getByRole('button', { name: 'Request' }).click();
  await expect(form.locator('..').getByRole('status')).toContainText('needs approval');

  // the steward approves it
  await sp.goto('/steward/reveals');
  const approval = sp.getByTestId('approval').filter({ hasText: checkuser.username });
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(sp.getByTestId('approval').filter({ hasText: checkuser.username })).toHaveCount(0); // no longer pending

  // the checkuser reveals with it: every address of the range, once
  await page.goto('/checkuser');
  const req = page.getByTestId('my-request').filter({ hasText: 'approved' });
  await req.getByLabel('Authentication code').fill(await totpCode(checkuser.totpSecret!));
  await req.getByRole('button', { name: 'Reveal IP' }).click();
  await expect(req.getByTestId('revealed-ip')).toHaveCount(2);
  expect((await req.getByTestId('revealed-ip').allTextContents()).sort()).toEqual([...ips].sort());
  await expect(req.getByTestId('revealed-ip')).toHaveCount(0, { timeout: (Number(E2E_REVEAL_DISPLAY_SECONDS) + 6) * 1000 });
  await req.getByRole('button', { name: 'Reveal IP' }).click();
  await expect(req.getByTestId('reveal-error')).toContainText('already used');

  await sp.goto(`/steward/reveals?holder=${checkuser.username}`);
  await expect(sp.getByTestId('reveal-row').filter({ hasText: '(approved bulk)' })).toHaveCount(1);
  expect(await sp.locator('body').innerText()).not.toContain(ips[0]);
  await sctx.close();
});
