import { apiSignIn, createUser, expect, ORIGIN, test } from './fixtures';

/**
 * POST /api/reveal over HTTP: signed out → 401; a foreign or missing Origin → 403 bad_origin; a patroller →
 * 403 no_permission (audited as a refused reveal); a checkuser with no agreement on record → 403 no_agreement.
 * Every answer is Cache-Control: no-store and JSON.
 */
const body = { target: { type: 'actor', key: 'f'.repeat(64) }, category: 'Vandalism or long-term abuse', reason: 'Checking a long-term abuse case here' };

test('the reveal endpoint refuses the signed-out, cross-site requests, and holders without permission or agreement', async ({ playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: ORIGIN });
  const r401 = await anon.post('/api/reveal', { data: body, headers: { Origin: ORIGIN } });
  expect(r401.status()).toBe(401);

  const patroller = await createUser('patroller');
  const pc = await playwright.request.newContext({ baseURL: ORIGIN });
  await apiSignIn(pc, patroller);
  const foreign = await pc.post('/api/reveal', { data: body, headers: { Origin: 'https://evil.example' } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.code).toBe('bad_origin');
  const none = await pc.post('/api/reveal', { data: body });
  expect(none.status()).toBe(403);
  const refused = await pc.post('/api/reveal', { data: body, headers: { Origin: ORIGIN } });
  expect(refused.status()).toBe(403);
  expect(refused.headers()['cache-control']).toBe('no-store');
  expect((await refused.json()).error.code).toBe('no_permission');

  const checkuser = await createUser('checkuser');
  const cc = await playwright.request.newContext({ baseURL: ORIGIN });
  await apiSignIn(cc, checkuser);
  const noAgreement = await cc.post('/api/reveal', { data: body, headers: { Origin: ORIGIN } });
  expect(noAgreement.status()).toBe(403);
  expect((await noAgreement.json()).error.code).toBe('no_agreement');
  const noExport = await cc.post('/api/reveal/export', { data: { format: 'csv' }, headers: { Origin: ORIGIN } });
  expect(noExport.status()).toBe(403);

  // both refusals are in the audit trail, with their codes
  const steward = await createUser('steward');
  const sc = await playwright.request.newContext({ baseURL: ORIGIN });
  await apiSignIn(sc, steward);
  const audit = (await (await sc.get('/api/audit?limit=1000')).json()) as { rows: { action: string; actorName: string; after: { refusal?: string } }[] };
  const refusals = audit.rows.filter((r) => r.action === 'ip.reveal-refused');
  expect(refusals.find((r) => r.actorName === patroller.username)?.after.refusal).toBe('no_permission');
  expect(refusals.find((r) => r.actorName === checkuser.username)?.after.refusal).toBe('no_agreement');
  for (const c of [anon, pc, cc, sc]) await c.dispose();
});
