import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAudit } from '@/lib/audit/chain';
import type { AuditAction } from '@/lib/audit/actions';
import { installCheckpointer, type Checkpointer } from '@/lib/audit/checkpoint';
import { loadOrCreateSigningKey } from '@/lib/audit/signing';
import type { PrismaClient } from '@/lib/db/generated/client';
import { SYSTEM } from './actors';
import type { TestDb } from './db';

/** Append audit rows as the application does (one transaction each). */
export async function append(prisma: PrismaClient, n: number, action: AuditAction = 'user.enable', reason?: string) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await prisma.$transaction((tx) => appendAudit(tx, { action, actor: SYSTEM, targetId: String(i), reason })));
  return out;
}

/** A key store and checkpoint file of the test's own, and a checkpointer on the test database. */
export function setupCheckpoints(prisma: PrismaClient, o: { rows?: number; actions?: string[]; witnessUrl?: string } = {}) {
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-audit-keys-'));
  const file = path.join(keysDir, 'audit-checkpoints.jsonl');
  const key = loadOrCreateSigningKey(keysDir);
  const cp: Checkpointer = installCheckpointer({
    prisma: () => prisma,
    key,
    file,
    rows: o.rows ?? 1000,
    actions: o.actions ?? ['ip.reveal'],
    witnessUrl: o.witnessUrl,
  })!;
  return {
    keysDir,
    file,
    key,
    cp,
    async close() {
      installCheckpointer(undefined);
      await cp.stop();
      fs.rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

/** Tamper as a database owner or superuser would: the append-only triggers switched off around the change. */
export async function tamper(t: TestDb, sql: string, params?: unknown[]) {
  await t.sql('ALTER TABLE audit_event DISABLE TRIGGER USER');
  await t.sql('ALTER TABLE audit_checkpoint DISABLE TRIGGER USER');
  try {
    await t.sql(sql, params);
  } finally {
    await t.sql('ALTER TABLE audit_event ENABLE TRIGGER USER');
    await t.sql('ALTER TABLE audit_checkpoint ENABLE TRIGGER USER');
  }
}

/** Both audit tables as they are (to put them back after a tampering case). */
export async function snapshot(t: TestDb) {
  const [e] = await t.sql(`SELECT coalesce(jsonb_agg(a), '[]') AS rows FROM audit_event a`);
  const [c] = await t.sql(`SELECT coalesce(jsonb_agg(c), '[]') AS rows FROM audit_checkpoint c`);
  return { events: JSON.stringify(e!.rows), checkpoints: JSON.stringify(c!.rows) };
}

export async function restore(t: TestDb, s: { events: string; checkpoints: string }) {
  await tamper(t, 'DELETE FROM audit_event');
  await tamper(t, 'DELETE FROM audit_checkpoint');
  await t.sql(`INSERT INTO audit_event SELECT * FROM jsonb_populate_recordset(NULL::audit_event, $1::jsonb)`, [s.events]);
  await t.sql(`INSERT INTO audit_checkpoint SELECT * FROM jsonb_populate_recordset(NULL::audit_checkpoint, $1::jsonb)`, [s.checkpoints]);
}
