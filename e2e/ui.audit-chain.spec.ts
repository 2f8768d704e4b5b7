import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import pg from 'pg';
import { socketDirFor, socketPoolConfig } from '../lib/db/socket';
import { DATA_DIR, E2E_DIR, ORIGIN, apiSignIn, createUser, expect, signIn, test } from './fixtures';

/**
 * The steward's chain view: "Verify now" shows green; then someone with superuser access to the database
 * (here: a client of the running server's socket, which connects as the embedded database's superuser)
 * switches the append-only trigger off and alters a row — and the next verification turns red naming that
 * row. The row is put back at the end, so later specs find the chain intact.
 */
async function asSuperuser<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(socketPoolConfig(socketDirFor(DATA_DIR), 1));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function setActorName(seq: string, name: string) {
  await asSuperuser(async (c) => {
    await c.query('BEGIN');
    await c.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
    await c.query('UPDATE audit_event SET "actorName" = $1 WHERE seq = $2', [name, seq]);
    await c.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    await c.query('COMMIT');
  });
}

test('a steward sees a green verification; a row altered in the database turns the page red, naming that row', async ({ page }) => {
  const steward = await createUser('steward');
  await signIn(page, steward);
  await page.goto('/steward');
  await page.getByRole('link', { name: 'Chain status, verification and checkpoints' }).click();
  await expect(page).toHaveURL(/\/steward\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit chain', level: 1 })).toBeVisible();

  const verify = page.getByRole('form', { name: 'Verify now' });
  const last = page.getByTestId('last-verification');
  await verify.getByRole('button', { name: 'Verify now' }).click();
  await expect(verify.getByRole('status')).toHaveText('Verified: the chain is intact.');
  await expect(last).toHaveClass(/status-ok/);
  await expect(last).toContainText(/Intact: \d+ rows verified/);
  await expect(page.getByTestId('last-verification-by')).toContainText(`Verified by ${steward.username}`);

  // the server takes a checkpoint right after each audit.verify (listed in this run's configuration)
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('table', { name: 'Checkpoints' }).getByRole('row')).not.toHaveCount(0);
  }).toPass({ timeout: 15_000 });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // the row that records this steward's creation (written by users:create)
  const [row] = await asSuperuser(async (c) =>
    (await c.query<{ seq: string; actorName: string }>(`SELECT seq::text, "actorName" FROM audit_event WHERE action = 'user.create' AND "targetId" = $1`, [steward.id])).rows,
  );
  expect(row).toBeTruthy();
  await setActorName(row!.seq, 'nobody-at-all');
  try {
    await page.getByRole('form', { name: 'Verify now' }).getByRole('button', { name: 'Verify now' }).click();
    await expect(page.getByRole('form', { name: 'Verify now' }).getByRole('status')).toHaveText('Verified: the chain is BROKEN (see above).');
    await expect(last).toHaveClass(/status-bad/);
    await expect(last).toContainText(`BROKEN: seq ${row!.seq} was modified: its content does not match its hash`);
    await page.screenshot({ path: path.resolve('docs/screenshots', 'audit-chain-broken.png'), fullPage: true });
  } finally {
    await setActorName(row!.seq, row!.actorName);
  }
  await page.getByRole('form', { name: 'Verify now' }).getByRole('button', { name: 'Verify now' }).click();
  await expect(last).toHaveClass(/status-ok/);
});

test('POST /api/audit/verify: stewards only, Origin checked, recorded as the last verification', async ({ playwright }) => {
  const ctxFor = () => playwright.request.newContext({ baseURL: ORIGIN });
  const patroller = await createUser('patroller');
  const p = await ctxFor();
  await apiSignIn(p, patroller);
  expect((await p.post('/api/audit/verify', { data: {}, headers: { Origin: ORIGIN } })).status()).toBe(403);
  await p.dispose();

  const steward = await createUser('steward');
  const s = await ctxFor();
  await apiSignIn(s, steward);
  expect((await s.post('/api/audit/verify', { data: {}, headers: { Origin: 'https://evil.example' } })).status()).toBe(403);
  const r = await s.post('/api/audit/verify', { data: {}, headers: { Origin: ORIGIN } });
  expect(r.status()).toBe(200);
  expect(r.headers()['cache-control']).toContain('no-store');
  expect((await r.json()).verification).toMatchObject({ ok: true, problems: [] });
  const rows = (await (await s.get('/api/audit?limit=5')).json()).rows as { action: string; actorName: string }[];
  expect(rows[0]).toMatchObject({ action: 'audit.verify', actorName: steward.username });
  await s.dispose();

  // the checkpoint key was created on first start in the key store, 0600, and its private part is never logged
  const keyFile = path.join(E2E_DIR, 'keys', 'audit-checkpoint-key.pem');
  expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
  const body = fs.readFileSync(keyFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  expect(fs.readFileSync(path.join(E2E_DIR, 'server.log'), 'utf8')).not.toContain(body);
  expect(fs.readFileSync(path.join(E2E_DIR, 'keys', 'audit-checkpoints.jsonl'), 'utf8')).toMatch(/"signature":/);
});
