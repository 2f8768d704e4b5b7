import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '@/lib/auth/actors';
import { ForbiddenError, ValidationError } from '@/lib/errors';
import { KeyRing } from '@/lib/masking/keyring';
import { myRevealStatus, pendingApprovals, refusedAttempts, revealAnomalies, revealHolders, revealTrail, revealsPerDay } from '@/lib/reveal/queries';
import { revealIp } from '@/lib/services/reveal';
import { recordAgreement, reviewReveal } from '@/lib/services/reveal-admin';
import { exportReveals } from '@/lib/services/reveal-export';
import { requestBulkReveal } from '@/lib/services/reveal-requests';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { findLeaks } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { GOOD_REASON, ingestEdits, makeHolder } from '../helpers/reveal';

/** What stewards see of reveals: trail with filters, per-day counts, anomaly flags, approvals, refusals, review, export. */
const IP = '203.0.113.150';
const WAVE = ['198.51.100.151', '198.51.100.152'];
const DAY = 86_400_000;

let t: TestDb;
let dir: string;
let steward: UserActor;
let busy: UserActor;
let quiet: UserActor;
let key: string;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('reveal-steward');
  const at = new Date(Date.now() - 5 * 60_000).toISOString();
  await ingestEdits(t.prisma, path.join(dir, 'keys'), [anonEdit(IP, { timestamp: at }), ...WAVE.map((ip, i) => rawEdit({ user: `~2026-888-${i}`, isTemp: true, ip, timestamp: at }))]);
  const keys = new KeyRing(path.join(dir, 'keys'));
  steward = await makeActor(t.prisma, 'steward');
  busy = await makeHolder(t.prisma, steward);
  quiet = await makeHolder(t.prisma, steward);
  key = ((await t.sql(`SELECT "ipKey" FROM edit WHERE "actorKind" = 'ip' LIMIT 1`))[0] as { ipKey: string }).ipKey;
  for (let i = 0; i < 5; i++) await revealIp(ctx(busy, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON, caseRef: `case-${i}` }, { keys });
  await revealIp(ctx(quiet, t.prisma), { target: { type: 'actor', key }, category: 'Harassment or threats', reason: 'Threats posted on a user talk page today' }, { keys });
  await revealIp(ctx(quiet, t.prisma), { target: { type: 'actor', key }, category: 'Harassment or threats', reason: 'short' }, { keys }).catch(() => null);
  const rangeKey = ((await t.sql(`SELECT range24 FROM edit WHERE "actorKind" = 'temp' LIMIT 1`))[0] as { range24: string }).range24;
  await requestBulkReveal(ctx(quiet, t.prisma), { target: { type: 'range', key: rangeKey }, ...GOOD_REASON });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('steward reveal views', () => {
  it('the trail filters by holder, target, category and date', async () => {
    expect(await revealTrail(steward)).toHaveLength(6);
    expect(await revealTrail(steward, { holder: busy.username })).toHaveLength(5);
    expect(await revealTrail(steward, { category: 'Harassment or threats' })).toMatchObject([{ holderName: quiet.username }]);
    const label = (await revealTrail(steward))[0]!.targetLabel;
    expect(await revealTrail(steward, { target: label })).toHaveLength(6);
    expect(await revealTrail(steward, { target: 'IP-NONE-NONE' })).toHaveLength(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(await revealTrail(steward, { from: today, to: today })).toHaveLength(6);
    expect(await revealTrail(steward, { to: new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10) })).toHaveLength(0);
  });

  it('counts per holder per day and flags the holder above 3× their median', async () => {
    const perDay = await revealsPerDay(steward);
    expect(perDay.points).toHaveLength(30);
    expect(perDay.total).toBe(6);
    const today = perDay.points.at(-1)!;
    expect(today[busy.username]).toBe(5);
    expect(today[quiet.username]).toBe(1);
    const flags = await revealAnomalies(steward);
    expect(flags).toMatchObject([{ holderName: busy.username, last24h: 5, reasons: ['self'] }]);
  });

  it('lists pending approvals (not one’s own), refused attempts and holders', async () => {
    expect(await pendingApprovals(steward)).toMatchObject([{ requesterName: quiet.username, status: 'pending', targetType: 'range' }]);
    expect(await pendingApprovals(quiet)).toEqual([]);
    expect(await pendingApprovals(busy)).toHaveLength(1);
    expect(await refusedAttempts(steward)).toMatchObject([{ actorName: quiet.username, refusal: 'reason_too_short' }]);
    const holders = await revealHolders(steward);
    expect(holders.find((h) => h.id === busy.id)).toMatchObject({ checkuser: true, acknowledged: true, suspended: false, agreement: { version: 'v1' } });
    const mine = await myRevealStatus(busy);
    expect(mine).toMatchObject({ eligible: true, agreement: { version: 'v1' }, suspended: false });
    expect(mine!.reveals).toHaveLength(5);
  });

  it('a review outcome per reveal and the export are audited; neither holds an address', async () => {
    const [r] = await revealTrail(steward, { holder: quiet.username });
    await reviewReveal(ctx(steward, t.prisma), { revealId: r!.id, outcome: 'concern', note: 'ask for the case link' });
    expect((await revealTrail(steward, { holder: quiet.username }))[0]).toMatchObject({ reviewOutcome: 'concern', reviewNote: 'ask for the case link', reviewedByName: steward.username });
    const csv = await exportReveals(ctx(steward, t.prisma), { format: 'csv', filters: { holder: busy.username } });
    expect(csv.rows).toBe(5);
    expect(csv.body.split('\r\n')[0]).toMatch(/^id,createdAt,holderName/);
    const json = await exportReveals(ctx(steward, t.prisma), { format: 'json' });
    expect(JSON.parse(json.body).reveals).toHaveLength(6);
    expect(findLeaks(csv.body + json.body, [IP, ...WAVE])).toEqual([]);
    const audits = await t.prisma.auditEvent.findMany({ where: { action: { in: ['reveal.review', 'reveal.export'] } }, orderBy: { seq: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['reveal.review', 'reveal.export', 'reveal.export']);
    expect(audits[1]!.after).toMatchObject({ format: 'csv', rows: 5, filters: { holder: busy.username } });
  });

  it('keeps typed addresses out of audit rows: a filter naming one is dropped, a note naming one is refused', async () => {
    const out = await exportReveals(ctx(steward, t.prisma), { format: 'csv', filters: { target: IP, holder: busy.username } });
    expect(out.rows).toBe(5);
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'reveal.export' }, orderBy: { seq: 'desc' } });
    expect(row.after).toMatchObject({ filters: { holder: busy.username } });
    expect(findLeaks(JSON.stringify(row.after), [IP])).toEqual([]);
    const [r] = await revealTrail(steward);
    await expect(reviewReveal(ctx(steward, t.prisma), { revealId: r!.id, outcome: 'fine', note: `the address was ${IP}` })).rejects.toBeInstanceOf(ValidationError);
    await expect(recordAgreement(ctx(steward, t.prisma), { userId: quiet.id, version: IP, signedOn: '2026-11-01' })).rejects.toBeInstanceOf(ValidationError);
    await recordAgreement(ctx(steward, t.prisma), { userId: quiet.id, version: 'NDA-2.1', signedOn: '2026-11-01' });
  });

  it('is for stewards only', async () => {
    for (const f of [() => revealTrail(busy), () => revealsPerDay(busy), () => revealAnomalies(busy), () => refusedAttempts(busy), () => revealHolders(busy)])
      await expect(f()).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportReveals(ctx(busy, t.prisma), { format: 'csv' })).rejects.toBeInstanceOf(ForbiddenError);
    const admin = await makeActor(t.prisma, 'admin');
    await expect(pendingApprovals(admin)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
