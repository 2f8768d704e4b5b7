import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '@/lib/audit/chain';
import { parseCheckpointFile, readCheckpointFile } from '@/lib/audit/checkpoint-file';
import { keyMap, signatureValid } from '@/lib/audit/signing';
import { verifyDatabase } from '@/lib/audit/verify-db';
import { SYSTEM } from '../helpers/actors';
import { append, restore, setupCheckpoints, snapshot, tamper } from '../helpers/audit-db';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
let cps: ReturnType<typeof setupCheckpoints>;
beforeAll(async () => {
  t = await createTestDb();
  cps = setupCheckpoints(t.prisma, { rows: 5, actions: ['ip.reveal', 'user.disable'] });
});
afterAll(async () => {
  await cps?.close();
  await t?.close();
});

const tableSeqs = async () => (await t.prisma.auditCheckpoint.findMany({ orderBy: { seq: 'asc' } })).map((c) => Number(c.seq));
const verify = () => verifyDatabase(t.prisma, { keysDir: cps.keysDir, checkpointFile: cps.file, batchSize: 3 });

describe('checkpoints', () => {
  it('are taken every N rows and right after a listed action, in the table and the file, signed', async () => {
    await append(t.prisma, 4);
    await cps.cp.flush();
    expect(await tableSeqs()).toEqual([]);
    await append(t.prisma, 1); // seq 5
    await cps.cp.flush();
    expect(await tableSeqs()).toEqual([5]);
    await append(t.prisma, 1, 'user.disable'); // seq 6: a listed action
    await cps.cp.flush();
    expect(await tableSeqs()).toEqual([5, 6]);

    const table = await t.prisma.auditCheckpoint.findMany({ orderBy: { seq: 'asc' } });
    const file = readCheckpointFile(cps.file);
    expect(file.records.map((r) => ({ seq: r.seq, hash: r.hash, signature: r.signature }))).toEqual(
      table.map((c) => ({ seq: c.seq, hash: c.hash, signature: c.signature })),
    );
    const keys = keyMap([cps.key.publicKey]);
    for (const c of table) expect(signatureValid(c, keys)).toBe(true);
    const head = await t.prisma.auditEvent.findUnique({ where: { seq: 6n } });
    expect(table[1]!.hash).toBe(head!.hash);
    expect((fs.statSync(cps.file).mode & 0o777).toString(8)).toBe('600');
    expect(await verify()).toMatchObject({ ok: true, rows: 6, checkpoints: { table: 2, file: 2, last: 6n } });
  });

  it('are taken after the appending transaction ends: a rolled-back row is never checkpointed', async () => {
    await expect(
      t.prisma.$transaction(async (tx) => {
        await appendAudit(tx, { action: 'user.disable', actor: SYSTEM, targetId: 'rolled-back' });
        throw new Error('the verb failed after its audit row');
      }),
    ).rejects.toThrow(/verb failed/);
    await cps.cp.flush();
    expect(await tableSeqs()).toEqual([5, 6]);
    expect(await t.prisma.auditEvent.count()).toBe(6);
    expect((await verify()).ok).toBe(true);
  });

  it('names a deleted tail, a deleted checkpoint and a modified row (database-backed)', async () => {
    const snap = await snapshot(t);
    await tamper(t, 'DELETE FROM audit_event WHERE seq = 6');
    let r = await verify();
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'tail-missing', seq: 6n }));
    await restore(t, snap);
    expect((await verify()).ok).toBe(true);

    await tamper(t, 'DELETE FROM audit_checkpoint WHERE seq = 5');
    r = await verify();
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'checkpoint-deleted', seq: 5n })]);
    await restore(t, snap);

    await tamper(t, `UPDATE audit_event SET reason = 'nothing happened' WHERE seq = 3`);
    r = await verify();
    expect(r.firstBadRow).toMatchObject({ kind: 'modified', seq: 3n });
    await restore(t, snap);

    // reordering: two rows swap places
    await tamper(t, 'UPDATE audit_event SET seq = -seq WHERE seq IN (2, 4)');
    await tamper(t, 'UPDATE audit_event SET seq = CASE seq WHEN -2 THEN 4 ELSE 2 END WHERE seq < 0');
    r = await verify();
    expect(r.firstBadRow).toMatchObject({ kind: 'reordered', seq: 2n });
    await restore(t, snap);

    // a forged row slipped in at seq 2, the rest renumbered
    await tamper(t, 'UPDATE audit_event SET seq = seq + 100 WHERE seq >= 2');
    await tamper(t, 'UPDATE audit_event SET seq = seq - 99 WHERE seq > 100');
    const [one] = await t.sql('SELECT hash FROM audit_event WHERE seq = 1');
    // (prevHash is unique: the row it displaces is re-linked to it first)
    await tamper(t, `UPDATE audit_event SET "prevHash" = $1 WHERE seq = 3`, ['f'.repeat(64)]);
    await tamper(
      t,
      `INSERT INTO audit_event (seq, "createdAt", "actorType", "actorName", action, "prevHash", hash) VALUES (2, now(), 'system', 'x', 'user.enable', $1, $2)`,
      [one!.hash, 'f'.repeat(64)],
    );
    r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBadRow?.seq).toBe(2n);
    await restore(t, snap);
    expect((await verify()).ok).toBe(true);
  });

  it('heals a checkpoint file that missed checkpoints (a crash between commit and append)', async () => {
    const lines = fs.readFileSync(cps.file, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(cps.file, `${lines[0]}\n`);
    expect((await verify()).problems).toEqual([expect.objectContaining({ kind: 'checkpoint-unfiled', seq: 6n })]);
    expect(await cps.cp.syncFile()).toBe(1);
    expect((await verify()).ok).toBe(true);
  });

  it('reports a missing checkpoint file and a damaged line', async () => {
    const text = fs.readFileSync(cps.file, 'utf8');
    fs.rmSync(cps.file);
    expect((await verify()).problems[0]).toMatchObject({ kind: 'checkpoint-file' });
    fs.writeFileSync(cps.file, `${text}not json\n`);
    expect((await verify()).problems).toEqual([expect.objectContaining({ kind: 'checkpoint-file', message: expect.stringContaining('line 3') })]);
    fs.writeFileSync(cps.file, text);
  });
});

describe('checkpoint witness and timer', () => {
  const received: string[] = [];
  let server: http.Server;
  let local: ReturnType<typeof setupCheckpoints> | undefined;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await local?.close();
    local = undefined;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('POSTs each checkpoint to the configured witness (a loopback HTTP server)', async () => {
    const u = await createTestDb();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`;
      local = setupCheckpoints(u.prisma, { witnessUrl: url });
      await append(u.prisma, 3);
      await local.cp.checkpointNow();
      expect(received).toHaveLength(1);
      const [c] = parseCheckpointFile(received[0]!).records;
      expect(c).toMatchObject({ seq: 3n });
      expect(signatureValid(c!, keyMap([local.key.publicKey]))).toBe(true);
      expect(await local.cp.checkpointNow()).toBeNull(); // nothing new: no second checkpoint
      expect(received).toHaveLength(1);
    } finally {
      await local?.close();
      local = undefined;
      await u.close();
    }
  });

  it('checkpoints the head when stopped for shutdown', async () => {
    const u = await createTestDb();
    try {
      local = setupCheckpoints(u.prisma);
      await append(u.prisma, 3);
      expect(await u.prisma.auditCheckpoint.count()).toBe(0);
      await local.cp.stop({ final: true });
      expect((await u.prisma.auditCheckpoint.findMany()).map((c) => Number(c.seq))).toEqual([3]);
      expect(readCheckpointFile(local.file).records.map((r) => Number(r.seq))).toEqual([3]);
    } finally {
      await local?.close();
      local = undefined;
      await u.close();
    }
  });

  it('takes a checkpoint on the timer when rows were appended since the last one', async () => {
    const u = await createTestDb();
    try {
      local = setupCheckpoints(u.prisma);
      await append(u.prisma, 2);
      local.cp.startTimer(0.002); // 120 ms
      await expect.poll(async () => (await u.prisma.auditCheckpoint.findMany()).map((c) => Number(c.seq)), { timeout: 20_000 }).toEqual([2]);
    } finally {
      await local?.close();
      local = undefined;
      await u.close();
    }
  });
});
