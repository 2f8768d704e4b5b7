import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '@/lib/auth/actors';
import { prismaForPg } from '@/lib/db/client';
import { KeyRing } from '@/lib/masking/keyring';
import { RevealRefusedError, type RefusalCode } from '@/lib/reveal/refusals';
import { revealIp } from '@/lib/services/reveal';
import { setRevealSuspended } from '@/lib/services/reveal-admin';
import { decideRevealRequest, requestBulkReveal } from '@/lib/services/reveal-requests';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { findLeaks, serialise } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { GOOD_REASON, ingestEdits, makeHolder } from '../helpers/reveal';

/**
 * Every way a reveal is refused, each leaving an 'ip.reveal-refused' audit row with its code (and never the
 * address), and the per-holder rate limits holding across two database clients (two app instances).
 */
const IP = '203.0.113.99';
const WAVE = ['198.51.100.61', '198.51.100.62'];
const HOUR = 3_600_000;

let t: TestDb;
let dir: string;
let keys: KeyRing;
let steward: UserActor;
let actorKey: string;
let rangeKey: string;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('reveal-refusals');
  const at = new Date(Date.now() - 10 * 60_000).toISOString();
  await ingestEdits(t.prisma, path.join(dir, 'keys'), [
    anonEdit(IP, { timestamp: at }),
    ...WAVE.map((ip, i) => rawEdit({ user: `~2026-777-${i}`, isTemp: true, ip, timestamp: at })),
  ]);
  keys = new KeyRing(path.join(dir, 'keys'));
  steward = await makeActor(t.prisma, 'steward');
  actorKey = ((await t.sql(`SELECT "ipKey" FROM edit WHERE "actorKind" = 'ip' LIMIT 1`))[0] as { ipKey: string }).ipKey;
  rangeKey = ((await t.sql(`SELECT range24 FROM edit WHERE "actorKind" = 'temp' LIMIT 1`))[0] as { range24: string }).range24;
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.MASKPATROL_REVEAL_PER_HOUR;
  delete process.env.MASKPATROL_REVEAL_PER_DAY;
});

const target = () => ({ type: 'actor', key: actorKey });

/** The attempt is refused with `code`, returns no address, and leaves one refusal audit row more. */
async function expectRefused(actor: UserActor, attempt: () => Promise<unknown>, code: RefusalCode) {
  const where = { action: 'ip.reveal-refused', actorId: actor.id };
  const before = await t.prisma.auditEvent.count({ where });
  const err = await attempt().then(
    (r) => ({ returned: r }),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RevealRefusedError);
  expect((err as RevealRefusedError).refusal).toBe(code);
  const rows = await t.prisma.auditEvent.findMany({ where, orderBy: { seq: 'desc' } });
  expect(rows).toHaveLength(before + 1);
  expect(rows[0]!.after).toMatchObject({ refusal: code });
  expect(findLeaks(serialise(rows[0]), [IP, ...WAVE])).toEqual([]);
}

const reveal = (a: UserActor, input: object = GOOD_REASON, now?: Date) => () => revealIp(ctx(a, t.prisma), { target: target(), ...input }, { keys, now });

describe('refused reveals, each audited', () => {
  it('no reason, a short reason, no category, a reason naming an address', async () => {
    const cu = await makeHolder(t.prisma, steward);
    await expectRefused(cu, reveal(cu, { category: GOOD_REASON.category }), 'no_reason');
    await expectRefused(cu, reveal(cu, { category: GOOD_REASON.category, reason: 'too short, really' }), 'reason_too_short');
    await expectRefused(cu, reveal(cu, { category: 'Because', reason: GOOD_REASON.reason }), 'no_category');
    await expectRefused(cu, reveal(cu, { category: GOOD_REASON.category, reason: 'Same person as 192.0.2.44 on the other wiki' }), 'reason_contains_ip');
    // typed addresses never reach the refusal's audit row: not as a category, not as a target key
    await expectRefused(cu, reveal(cu, { category: '192.0.2.45', reason: GOOD_REASON.reason }), 'no_category');
    await expectRefused(cu, () => revealIp(ctx(cu, t.prisma), { target: { type: 'actor', key: '192.0.2.46' }, ...GOOD_REASON }, { keys }), 'target_not_found');
    const rows = await t.prisma.auditEvent.findMany({ where: { actorId: cu.id } });
    expect(findLeaks(serialise(rows), ['192.0.2.44', '192.0.2.45', '192.0.2.46'])).toEqual([]);
  });

  it('no agreement on record, and an agreement not acknowledged (no opt-in)', async () => {
    const none = await makeHolder(t.prisma, steward, { agreement: false });
    await expectRefused(none, reveal(none), 'no_agreement');
    const unacked = await makeHolder(t.prisma, steward, { acknowledge: false });
    await expectRefused(unacked, reveal(unacked), 'not_acknowledged');
  });

  it('a stale step-up (no TOTP code in the last 10 minutes)', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const stale = { ...cu, stepUpAt: Date.now() - 11 * 60_000 };
    await expectRefused(stale, reveal(stale), 'step_up_required');
    const never = { ...cu, stepUpAt: null };
    await expectRefused(never, reveal(never), 'step_up_required');
  });

  it('a suspended holder (suspension audited), and again allowed once restored', async () => {
    const cu = await makeHolder(t.prisma, steward);
    await setRevealSuspended(ctx(steward, t.prisma), { userId: cu.id, suspend: true, note: 'under review' });
    await expectRefused(cu, reveal(cu), 'suspended');
    await setRevealSuspended(ctx(steward, t.prisma), { userId: cu.id, suspend: false });
    expect((await reveal(cu)()).addresses).toHaveLength(1);
    expect(await t.prisma.auditEvent.count({ where: { action: { in: ['reveal.suspend', 'reveal.restore'] }, targetId: cu.id } })).toBe(2);
  });

  it('a disabled account (a session still in flight)', async () => {
    const cu = await makeHolder(t.prisma, steward);
    await t.prisma.user.update({ where: { id: cu.id }, data: { disabled: true } });
    await expectRefused(cu, reveal(cu), 'disabled');
  });

  it('a patroller, an admin without a grant and a steward may not reveal', async () => {
    const patroller = await makeActor(t.prisma, 'patroller');
    await expectRefused(patroller, reveal(patroller), 'no_permission');
    const admin = await makeHolder(t.prisma, steward, { role: 'admin', agreement: false });
    await expectRefused(admin, reveal(admin), 'no_permission');
    await expectRefused(steward, reveal(steward), 'no_permission');
  });

  it('self-approval of a range request is refused; an expired approval cannot be used or decided', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const other = await makeHolder(t.prisma, steward);
    const range = { type: 'range', key: rangeKey };
    const req = await requestBulkReveal(ctx(cu, t.prisma), { target: range, ...GOOD_REASON });
    await expectRefused(cu, () => decideRevealRequest(ctx(cu, t.prisma), { requestId: req.id, approve: true }), 'self_approval');
    await expectRefused(cu, () => revealIp(ctx(cu, t.prisma), { target: range, ...GOOD_REASON }, { keys }), 'approval_required');

    const long = new Date(Date.now() - 25 * HOUR);
    const old = await requestBulkReveal(ctx(cu, t.prisma), { target: range, ...GOOD_REASON }, { now: long });
    await decideRevealRequest(ctx(other, t.prisma), { requestId: old.id, approve: true }, { now: new Date(long.getTime() + HOUR) });
    await expectRefused(cu, () => revealIp(ctx(cu, t.prisma), { target: range, requestId: old.id }, { keys }), 'approval_expired');
    const stale = await requestBulkReveal(ctx(cu, t.prisma), { target: range, ...GOOD_REASON }, { now: long });
    await expectRefused(other, () => decideRevealRequest(ctx(other, t.prisma), { requestId: stale.id, approve: true }), 'approval_expired');
  });
});

describe('rate limits', () => {
  it('refuses past the hourly limit, and past the daily limit with earlier reveals spread over the day', async () => {
    process.env.MASKPATROL_REVEAL_PER_HOUR = '3';
    process.env.MASKPATROL_REVEAL_PER_DAY = '5';
    const cu = await makeHolder(t.prisma, steward);
    for (let i = 0; i < 3; i++) await reveal(cu)();
    await expectRefused(cu, reveal(cu), 'rate_limit_hour');

    const daily = await makeHolder(t.prisma, steward);
    // five earlier reveals spread over the last hours, as the shared store holds them
    await t.prisma.reveal.createMany({
      data: [5, 5, 4, 3, 2].map((h) => ({
        holderId: daily.id, holderName: daily.username, targetType: 'actor', targetKey: actorKey, targetLabel: 'IP-TEST',
        wikis: ['enwiki'], reasonCategory: GOOD_REASON.category, reasonText: GOOD_REASON.reason, ipCount: 1, createdAt: new Date(Date.now() - h * HOUR),
      })),
    });
    await expectRefused(daily, reveal(daily), 'rate_limit_day');
  });

  it('holds across two database clients (two app instances) revealing at once', async () => {
    process.env.MASKPATROL_REVEAL_PER_HOUR = '3';
    const cu = await makeHolder(t.prisma, steward);
    const second = t.url ? prismaForPg({ connectionString: t.url, max: 4 }) : t.prisma;
    try {
      const clients = [t.prisma, second, t.prisma, second, t.prisma, second];
      const results = await Promise.allSettled(clients.map((db) => revealIp(ctx(cu, db), { target: target(), ...GOOD_REASON }, { keys })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as RevealRefusedError).refusal);
      expect(ok).toHaveLength(3);
      expect(refused).toEqual(['rate_limit_hour', 'rate_limit_hour', 'rate_limit_hour']);
      expect(await t.prisma.reveal.count({ where: { holderId: cu.id } })).toBe(3);
      expect(await t.prisma.auditEvent.count({ where: { action: 'ip.reveal-refused', actorId: cu.id } })).toBe(3);
    } finally {
      if (second !== t.prisma) await second.$disconnect();
    }
  });
});
