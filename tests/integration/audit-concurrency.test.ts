import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '@/lib/audit/chain';
import { verifyDatabase } from '@/lib/audit/verify-db';
import { prismaForPg } from '@/lib/db/client';
import { openEmbedded, shareOverSocket } from '@/lib/db/embedded';
import { deployMigrations } from '@/lib/db/migrate';
import { socketPoolConfig } from '@/lib/db/socket';
import { verifyChain } from '@/lib/audit/chain';
import type { PrismaClient } from '@/lib/db/generated/client';
import { SYSTEM } from '../helpers/actors';
import { setupCheckpoints } from '../helpers/audit-db';
import { createTestDb, type TestDb } from '../helpers/db';

/**
 * Concurrent writers never fork the chain: appends are serialised by pg_advisory_xact_lock and take
 * seq = last + 1 inside that lock. On PostgreSQL the writers are several clients with pools of their own
 * (as several app instances would be); on PGlite one client (its single session serialises transactions,
 * and the lock is taken there too). Checkpoints are requested concurrently with the appends.
 */
let t: TestDb;
let cps: ReturnType<typeof setupCheckpoints>;
const clients: PrismaClient[] = [];
beforeAll(async () => {
  t = await createTestDb();
  cps = setupCheckpoints(t.prisma, { rows: 7, actions: ['user.disable'] });
  if (t.kind === 'postgres') for (let i = 0; i < 3; i++) clients.push(prismaForPg({ connectionString: t.url!, max: 5 }));
  else clients.push(t.prisma);
});
afterAll(async () => {
  await cps?.close();
  if (t?.kind === 'postgres') for (const c of clients) await c.$disconnect();
  await t?.close();
});

const WRITERS = 16;
const EACH = 5;

describe('audit appends under concurrency', () => {
  it(`${WRITERS} concurrent writers × ${EACH} appends: one chain, seq 1..N, no two rows on the same predecessor`, async () => {
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const prisma = clients[w % clients.length]!;
        for (let i = 0; i < EACH; i++) {
          const action = (w + i) % 5 === 0 ? 'user.disable' : 'user.enable';
          // generous waits (as executeVerb's): every writer queues on the one append lock, on a loaded 2-core machine
          await prisma.$transaction((tx) => appendAudit(tx, { action, actor: SYSTEM, targetId: `${w}-${i}` }), { timeout: 60_000, maxWait: 60_000 });
          if (i === 2) cps.cp.request();
        }
      }),
    );
    await cps.cp.flush();
    const n = WRITERS * EACH;
    const rows = await t.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { seq: true, prevHash: true, targetId: true } });
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(n); // a fork would give two rows one predecessor
    expect(new Set(rows.map((r) => r.targetId)).size).toBe(n); // every append landed once
    const report = await verifyDatabase(t.prisma, { keysDir: cps.keysDir, checkpointFile: cps.file });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, rows: n });
    // every row divisible by 7 asked for a checkpoint, and the last checkpoint was taken after the last append
    expect(report.checkpoints.last).toBe(BigInt(n));
    expect(report.checkpoints.table).toBeGreaterThanOrEqual(2);
  });

  it('the database itself refuses a fork: a second row on the same predecessor', async () => {
    const [head] = await t.sql('SELECT seq, "prevHash" FROM audit_event ORDER BY seq DESC LIMIT 1');
    await expect(
      t.sql(`INSERT INTO audit_event (seq, "createdAt", "actorType", "actorName", action, "prevHash", hash) VALUES ($1, now(), 'system', 'x', 'user.enable', $2, $3)`, [
        Number(head!.seq) + 1,
        head!.prevHash,
        'c'.repeat(64),
      ]),
    ).rejects.toThrow(/unique|duplicate/i);
  });

  it('a checkpoint asked for inside an open transaction waits for it to commit', async () => {
    if (t.kind !== 'postgres') return; // PGlite: one session, transactions run one at a time anyway
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const didAppend = new Promise<void>((r) => (appended = r));
    const before = await t.prisma.auditCheckpoint.count();
    const txn = clients[0]!.$transaction(
      async (tx) => {
        const a = await appendAudit(tx, { action: 'user.disable', actor: SYSTEM, targetId: 'held' }); // asks for a checkpoint
        appended();
        await held;
        return a;
      },
      { timeout: 30_000 },
    );
    await didAppend;
    // the checkpoint's transaction is queued behind the append lock: nothing new while the append is open
    await new Promise((r) => setTimeout(r, 500));
    expect(await t.prisma.auditCheckpoint.count()).toBe(before);
    release();
    const a = await txn;
    await cps.cp.flush();
    const last = await t.prisma.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ seq: a.seq, hash: a.hash });
  });
});

describe('audit appends through the embedded server\'s socket', () => {
  it('clients of the shared PGlite (web tier, tools) append concurrently without forking the chain', async () => {
    if (t.kind !== 'pglite') return; // the embedded database is the same in both projects: run it once
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-audit-sock-'));
    const embedded = await openEmbedded(dir, 'test');
    await deployMigrations(new PrismaPGlite(embedded.pglite));
    const sharing = await shareOverSocket(embedded);
    const socketClients = [0, 1, 2].map(() => prismaForPg(socketPoolConfig(sharing.socketDir, 4)));
    try {
      await Promise.all(
        Array.from({ length: 12 }, async (_, w) => {
          for (let i = 0; i < 4; i++)
            await socketClients[w % 3]!.$transaction((tx) => appendAudit(tx, { action: 'user.enable', actor: SYSTEM, targetId: `${w}-${i}` }), {
              timeout: 60_000,
              maxWait: 60_000,
            });
        }),
      );
      const r = await verifyChain(socketClients[0]!);
      expect(r).toMatchObject({ ok: true, rows: 48 });
    } finally {
      for (const c of socketClients) await c.$disconnect();
      await sharing.stop();
      await embedded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
