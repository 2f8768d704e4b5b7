import { createUser, expect, signIn, test } from './fixtures';

/**
 * The queue on the server's real first-start data (the shipped 2015 day and the demo feed): edits arrive
 * masked, each with a revert-risk score whose reasons are on hover, and no IP address is on the page.
 */
test('a patroller sees masked edits with revert-risk scores and their reasons', async ({ page }) => {
  const patroller = await createUser('patroller');
  await signIn(page, patroller);
  await expect(page).toHaveURL(/\/queue$/);
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByTestId('edit-row').count();
    }, { timeout: 60_000, intervals: [1000, 2000, 3000] })
    .toBeGreaterThan(20);
  await expect(page.getByRole('columnheader', { name: 'Risk' })).toBeVisible();
  const scores = await page.getByTestId('risk').locator('span[title]').allTextContents();
  expect(scores.length).toBeGreaterThan(20);
  for (const s of scores) {
    expect(s).toMatch(/^(0|1)\.\d\d$/);
  }
  // at least one edit carries named reasons (hover text), e.g. "logged-out (IP) editor"
  const reasons = await page.getByTestId('risk').locator('span[title]').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  expect(reasons.some((r) => r.length > 0 && !/no risk factor/.test(r))).toBe(true);
  // masked: IP editors appear as pseudonyms, never as dotted or colon-hex addresses (the queue renders only the
  // rows in view, and the newest may all be temporary accounts: filter to IP editors for the pseudonyms)
  expect(await page.locator('main').innerText()).not.toMatch(/\b(?:\d{1,3}\.){3}\d{1,3}\b/);
  await page.goto('/queue?q=IP-');
  await expect(page.getByTestId('edit-row').first()).toBeVisible();
  const text = await page.locator('main').innerText();
  expect(text).toMatch(/IP-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  expect(text).not.toMatch(/\b(?:\d{1,3}\.){3}\d{1,3}\b/);
});
