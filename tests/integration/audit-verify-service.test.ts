import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastVerification } from '@/lib/audit/queries';
import { ForbiddenError } from '@/lib/errors';
import { verifyAuditNow } from '@/lib/services/audit-verify';
import { ctx, makeActor } from '../helpers/actors';
import { append, setupCheckpoints, tamper } from '../helpers/audit-db';
import { createTestDb, type TestDb } from '../helpers/db';

/** "Verify now": stewards only, recorded as an 'audit.verify' row that the chain view shows as the last verification. */
let t: TestDb;
let cps: ReturnType<typeof setupCheckpoints>;
beforeAll(async () => {
  t = await createTestDb();
  cps = setupCheckpoints(t.prisma);
});
afterAll(async () => {
  await cps?.close();
  await t?.close();
});

describe('audit.verify', () => {
  it('is refused to patrollers, admins and checkusers, with no audit row', async () => {
    for (const role of ['patroller', 'admin', 'checkuser'] as const) {
      const a = await makeActor(t.prisma, role);
      await expect(verifyAuditNow(ctx(a, t.prisma), { keysDir: cps.keysDir, checkpointFile: cps.file })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(lastVerification(a)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await t.prisma.auditEvent.count({ where: { action: 'audit.verify' } })).toBe(0);
  });

  it("records a steward's verification, green, then red naming the modified row", async () => {
    const steward = await makeActor(t.prisma, 'steward');
    await append(t.prisma, 3);
    await cps.cp.checkpointNow();
    const o = { keysDir: cps.keysDir, checkpointFile: cps.file };
    const green = await verifyAuditNow(ctx(steward, t.prisma), o);
    expect(green).toMatchObject({ ok: true, problems: [] });
    const last = await lastVerification(steward);
    expect(last).toMatchObject({ ok: true, by: steward.username, rows: green.rows, checkpoints: 1 });

    const [row] = await t.sql(`SELECT seq FROM audit_event WHERE action = 'user.enable' ORDER BY seq LIMIT 1`);
    const seq = String(row!.seq);
    await tamper(t, `UPDATE audit_event SET reason = 'quietly edited' WHERE seq = ${seq}`);
    const red = await verifyAuditNow(ctx(steward, t.prisma), o);
    expect(red.ok).toBe(false);
    expect(red.problems[0]).toMatchObject({ kind: 'modified', seq });
    expect(red.problems[0]!.message).toContain(`seq ${seq} was modified`);
    const shown = await lastVerification(steward);
    expect(shown).toMatchObject({ ok: false, by: steward.username });
    expect(shown!.problems[0]!.seq).toBe(seq);
    expect(await t.prisma.auditEvent.count({ where: { action: 'audit.verify' } })).toBe(2);
  });
});
