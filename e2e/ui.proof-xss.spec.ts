import { randomUUID } from 'node:crypto';
import { asUser, sessionCookie } from './authz/personas';
import { ingest } from './proof/canaries';
import { armDetector, loadCorpus, type XssFindings } from './proof/xss';
import { createUser, expect, signIn, test, type TestUser } from './fixtures';

/**
 * Proof suite: hostile text never runs. Every payload of e2e/corpus/xss.txt goes in through the signed
 * /api/ingest as a page title, an edit summary, a user name and a temporary-account name ("~2026-…"), and as
 * block reasons; then Chromium renders every page that shows them (the queue scrolled end to end, actor,
 * range and cluster pages, the cluster list, blocks, the steward's pages and audit trail, the checkuser page,
 * overview, feeds). A payload that runs calls window.__xss(n); dialogs and CSP violations are collected too.
 * Zero of each. The detector itself is shown to fire on planted positives (last test).
 */
const WIKI = 'xsswiki';
const corpus = loadCorpus();
let steward: TestUser;
let cookie = '';

interface Row {
  title: string;
  actorName: string;
  actorRef: string;
  ranges: string[];
  cluster: { id: string } | null;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(90_000);
  expect(corpus.length).toBeGreaterThanOrEqual(100);
  steward = await createUser('steward');
  cookie = await sessionCookie(playwright, steward);
  const now = Math.floor(Date.now() / 1000);
  const event = (n: number, user: string, title: string, k: number) => ({
    meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
    id: Math.floor(Math.random() * 1e9),
    type: 'edit',
    namespace: 0,
    title,
    comment: corpus[n]!.text,
    parsedcomment: corpus[n]!.text,
    timestamp: now - 600 + n * 2 + k,
    user,
    bot: false,
    minor: false,
    length: { old: 10, new: 5 },
    revision: { old: 900_000_000 + n * 10 + k, new: 900_000_001 + n * 10 + k },
    wiki: WIKI,
    server_url: 'https://en.wikipedia.org',
    ip: `198.51.100.${(n % 200) + 1}`,
  });
  const events = corpus.flatMap((p, n) => [event(n, p.text, p.text, 0), event(n, `~2026-${p.text}`, `${p.text} (${p.n})`, 1)]);
  const r = await ingest(events);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toMatchObject({ stored: events.length, deadLettered: 0 });
  // blocks of payload-named temporary accounts with payload reasons (the blocks page, the audit trail)
  for (const p of corpus.slice(0, 12)) {
    const target = { type: 'account', name: `~2026-${p.text}` };
    const b = await asUser(cookie, '/api/blocks', { method: 'POST', body: { target, options: { wiki: WIKI, expiry: '1 day', reasonText: p.text } } });
    expect(b.status, `block ${p.n}: ${await b.clone().text()}`).toBeLessThan(300);
  }
});

async function visit(page: import('@playwright/test').Page, url: string) {
  const r = await page.goto(url);
  expect(r!.status(), url).toBeLessThan(400);
  await page.waitForLoadState('load');
  await page.waitForTimeout(150);
}

test('no payload runs on any page that renders them', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const found = await armDetector(context);
  const page = await context.newPage();
  await signIn(page, steward);

  // the queue, scrolled from top to bottom: every payload must have been on screen as text
  await visit(page, `/queue?wiki=${WIKI}&trusted=1`);
  await expect(page.getByTestId('edit-row').first()).toBeVisible();
  const seen = new Set<string>();
  const scroller = page.locator('.queue-scroll');
  for (let i = 0; i < 200; i++) {
    for (const t of await page.getByTestId('edit-row').allTextContents()) seen.add(t);
    const done = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight;
      return end;
    });
    if (done) break;
    await page.waitForTimeout(60);
  }
  const all = [...seen].join('\n');
  const missing = corpus.filter((p) => !all.includes(p.text)).map((p) => p.n);
  expect(missing, 'payloads never rendered as text in the queue').toEqual([]);

  // entity pages of a sample of payload editors, with their ranges and clusters; the list pages
  const q = await asUser(cookie, `/api/queue?wiki=${WIKI}&trusted=1&limit=500`);
  const rows = ((await q.json()) as { rows: Row[] }).rows;
  expect(rows.length).toBe(corpus.length * 2);
  const sample = rows.filter((_r, i) => i % 24 === 0);
  const urls = new Set<string>();
  for (const r of sample) urls.add(`/actors/${encodeURIComponent(r.actorRef)}`);
  for (const r of rows.slice(0, 40)) if (r.ranges[0]) urls.add(`/ranges/${encodeURIComponent(r.ranges[0])}`);
  for (const r of rows) if (r.cluster) urls.add(`/clusters/${encodeURIComponent(r.cluster.id)}`);
  const ranges = [...urls].filter((u) => u.startsWith('/ranges/')).slice(0, 2);
  const clusters = [...urls].filter((u) => u.startsWith('/clusters/')).slice(0, 2);
  const pages = [
    ...[...urls].filter((u) => u.startsWith('/actors/')),
    ...ranges,
    ...clusters,
    '/clusters',
    '/blocks',
    '/steward',
    '/steward/audit',
    '/steward/reveals',
    '/checkuser',
    '/overview',
    '/feeds',
  ];
  let shown = 0;
  for (const url of pages) {
    await visit(page, url);
    const body = await page.locator('body').innerText();
    if (corpus.some((p) => body.includes(p.text))) shown++;
  }
  // most of those pages showed payloads as plain text
  expect(shown).toBeGreaterThan(pages.length / 2);
  await context.close();
  expect(found).toEqual({ executed: [], dialogs: [], violations: [] } satisfies XssFindings);
});

test('the detector fires on planted positives: a payload run, a dialog, a CSP-blocked handler', async ({ browser }) => {
  // with the CSP switched off for this context (as if the app sent none), markup injected raw — what
  // dangerouslySetInnerHTML of a payload would do — runs, and the sentinel sees it
  const unsafe = await browser.newContext({ bypassCSP: true });
  const f1 = await armDetector(unsafe);
  const p1 = await unsafe.newPage();
  await signIn(p1, steward);
  await p1.evaluate((html) => {
    const d = document.createElement('div');
    d.innerHTML = html;
    document.body.append(d);
  }, corpus.find((p) => p.text.startsWith('<img src=x onerror=__xss('))!.text);
  await expect.poll(() => f1.executed.length).toBeGreaterThan(0);
  await p1.evaluate(() => setTimeout(() => alert('planted'), 0));
  await expect.poll(() => f1.dialogs).toEqual(['alert: planted']);
  await unsafe.close();

  // with the app's CSP in force, the same injection does not run but is reported as a violation
  const safe = await browser.newContext();
  const f2 = await armDetector(safe);
  const p2 = await safe.newPage();
  await signIn(p2, steward);
  await p2.evaluate(() => {
    const d = document.createElement('div');
    d.innerHTML = '<img src=x onerror=__xss(0)>';
    document.body.append(d);
  });
  await expect.poll(() => f2.violations.length).toBeGreaterThan(0);
  expect(f2.executed).toEqual([]);
  await safe.close();
});
