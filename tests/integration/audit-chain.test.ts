import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyChain } from '@/lib/audit/chain';
import { createUser } from '@/lib/services/user-create';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  const steward = await makeActor(t.prisma, 'steward');
  for (let i = 0; i < 5; i++) await createUser(ctx(steward, t.prisma), { username: `chain-${i}`, reason: `row ${i}` });
});
afterAll(async () => {
  await t?.close();
});

/** Tamper as a database owner would: switch the append-only trigger off, change, switch it back on. */
async function tamper(sql: string) {
  await t.sql('ALTER TABLE audit_event DISABLE TRIGGER USER');
  try {
    await t.sql(sql);
  } finally {
    await t.sql('ALTER TABLE audit_event ENABLE TRIGGER USER');
  }
}

describe('audit chain', () => {
  it('is intact after the verbs', async () => {
    const r = await verifyChain(t.prisma);
    expect(r).toMatchObject({ ok: true, rows: 6 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application', async () => {
    await expect(t.sql(`UPDATE audit_event SET reason = 'x' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_event WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.prisma.auditEvent.deleteMany({})).rejects.toThrow();
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });

  it('names the exact row whose content was modified, then recovers when it is restored', async () => {
    const [orig] = await t.sql(`SELECT reason FROM audit_event WHERE seq = 4`);
    await tamper(`UPDATE audit_event SET reason = 'nothing to see here' WHERE seq = 4`);
    const r = await verifyChain(t.prisma, 2); // small batches: the walk crosses batch boundaries
    expect(r).toMatchObject({ ok: false, brokenAt: 4n, rows: 3 });
    expect(!r.ok && r.problem).toMatch(/modified/);
    await tamper(`UPDATE audit_event SET reason = '${String(orig!.reason)}' WHERE seq = 4`);
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });

  it('detects a modified JSON snapshot', async () => {
    await tamper(`UPDATE audit_event SET "after" = jsonb_set("after", '{username}', '"mallory"') WHERE seq = 3`);
    expect(await verifyChain(t.prisma)).toMatchObject({ ok: false, brokenAt: 3n });
  });
});

describe('audit chain, deletion', () => {
  it('detects a deleted row as a gap', async () => {
    const u = await createTestDb();
    try {
      for (let i = 0; i < 4; i++) await createUser({ actor: SYSTEM, db: u.prisma }, { username: `del-${i}` });
      await u.sql('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await u.sql('DELETE FROM audit_event WHERE seq = 2');
      const r = await verifyChain(u.prisma);
      // named by the missing row itself
      expect(r).toMatchObject({ ok: false, brokenAt: 2n });
      expect(!r.ok && r.problem).toMatch(/seq 2 is missing/);
    } finally {
      await u.close();
    }
  });
});

describe('audit appends under concurrency', () => {
  it('never fork the chain', async () => {
    const u = await createTestDb();
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          u.prisma.$transaction((tx) => appendAudit(tx, { action: 'user.enable', actor: SYSTEM, targetId: String(i) })),
        ),
      );
      const r = await verifyChain(u.prisma);
      expect(r).toMatchObject({ ok: true, rows: 12 });
      const seqs = (await u.prisma.auditEvent.findMany({ select: { seq: true }, orderBy: { seq: 'asc' } })).map((x) => Number(x.seq));
      expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    } finally {
      await u.close();
    }
  });
});
