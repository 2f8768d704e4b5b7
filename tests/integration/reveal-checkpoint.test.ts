import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCheckpointFile } from '@/lib/audit/checkpoint-file';
import { verifyDatabase } from '@/lib/audit/verify-db';
import { KeyRing } from '@/lib/masking/keyring';
import { revealIp } from '@/lib/services/reveal';
import { ctx, makeActor } from '../helpers/actors';
import { setupCheckpoints } from '../helpers/audit-db';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { anonEdit } from '../helpers/raw-edit';
import { GOOD_REASON, ingestEdits, makeHolder } from '../helpers/reveal';

/**
 * Step 8's "a checkpoint right after every reveal", end to end: with the server's default checkpoint settings
 * (every 1,000 rows, after ip.reveal), a reveal through the real service is followed by a signed checkpoint of
 * exactly its audit row, in the table and in the file outside the database.
 */
let t: TestDb;
let dir: string;
let cps: ReturnType<typeof setupCheckpoints>;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('reveal-checkpoint');
  await ingestEdits(t.prisma, path.join(dir, 'keys'), [anonEdit('203.0.113.201', { title: 'Checkpointed page' })]);
  cps = setupCheckpoints(t.prisma);
});
afterAll(async () => {
  await cps?.close();
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('each reveal is checkpointed right after it commits', async () => {
  const steward = await makeActor(t.prisma, 'steward');
  const holder = await makeHolder(t.prisma, steward);
  await cps.cp.flush();
  const before = await t.prisma.auditCheckpoint.count();
  const key = ((await t.sql(`SELECT "ipKey" FROM edit WHERE "actorKind" = 'ip' LIMIT 1`))[0] as { ipKey: string }).ipKey;
  const keys = new KeyRing(path.join(dir, 'keys'));
  for (let i = 0; i < 2; i++) {
    await revealIp(ctx(holder, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys });
    await cps.cp.flush();
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'ip.reveal' }, orderBy: { seq: 'desc' } });
    const last = await t.prisma.auditCheckpoint.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect({ seq: last.seq, hash: last.hash }).toEqual({ seq: row.seq, hash: row.hash });
    expect(readCheckpointFile(cps.file).records.at(-1)).toMatchObject({ seq: row.seq, hash: row.hash });
  }
  expect(await t.prisma.auditCheckpoint.count()).toBe(before + 2);
  expect(await verifyDatabase(t.prisma, { keysDir: cps.keysDir, checkpointFile: cps.file })).toMatchObject({ ok: true });
});
