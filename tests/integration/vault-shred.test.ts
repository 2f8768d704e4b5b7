import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { ForbiddenError } from '@/lib/errors';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { decryptRow, VaultShreddedError, writeVault } from '@/lib/masking/vault';
import { rotateKeys } from '@/lib/services/keys-rotate';
import { shredVault } from '@/lib/services/vault-shred';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { serialise } from '../helpers/leaks';
import { anonEdit } from '../helpers/raw-edit';

type VaultRow = { id: string; day: string; nonce: Uint8Array; ciphertext: Uint8Array };
const DAY = 86_400_000;
const T0 = new Date('2026-03-01T12:00:00Z');

let t: TestDb;
let keysDir: string;
let now = T0;
const clock = () => now;

beforeAll(async () => {
  t = await createTestDb();
  keysDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-shred-')), 'keys');
});
afterAll(async () => {
  await t?.close();
  if (keysDir) fs.rmSync(path.dirname(keysDir), { recursive: true, force: true });
});

const VAULT_ROWS = `SELECT id::text AS id, day::text AS day, nonce, ciphertext FROM vault_record ORDER BY id`;

/** A copy of the database's vault rows taken before the purge: the whole database on PGlite, the rows on PostgreSQL. */
async function copyBeforePurge(): Promise<{ rows: () => Promise<VaultRow[]>; close: () => Promise<void> }> {
  if (t.pglite) {
    const copy = await PGlite.create({ loadDataDir: await t.pglite.dumpDataDir('none') });
    return { rows: async () => (await copy.query<VaultRow>(VAULT_ROWS)).rows, close: () => copy.close() };
  }
  const rows = (await t.sql(VAULT_ROWS)) as VaultRow[];
  return { rows: async () => rows, close: async () => {} };
}

describe('vault retention (crypto-shredding)', () => {
  it('after 91 days the purge destroys the day key: the pre-purge copy no longer decrypts, and it is audited', async () => {
    const keys = new KeyRing(keysDir, clock);
    const masker = new Masker({ keys, limits: { v4: 16, v6: 19 } });
    for (const [i, ip] of ['203.0.113.57', '2001:db8:85a3::8a2e:370:7334', '::ffff:192.0.2.146'].entries())
      await writeVault(t.prisma, masker.maskEdit(anonEdit(ip, { comment: `Reverted edits by 198.51.100.${i + 10}` })).vault);
    const copy = await copyBeforePurge();
    const old = await copy.rows();
    expect(old.length).toBe(6);
    expect(old.every((r) => r.day === '2026-03-01')).toBe(true);
    // control: readable before the purge
    expect(old.map((r) => decryptRow(keys, r).ip)).toContain('203.0.113.57');

    now = new Date(T0.getTime() + 91 * DAY);
    const fresh = masker.maskEdit(anonEdit('198.51.100.1'));
    await writeVault(t.prisma, fresh.vault);
    const r = await shredVault({ actor: SYSTEM, db: t.prisma, request: { via: 'system' } }, { keysDir, now, retentionDays: 90 });
    expect(r).toMatchObject({ days: ['2026-03-01'], records: 6, audited: true });

    // the pre-purge copy of every old row is now unreadable with the key store as it is
    const keysNow = new KeyRing(keysDir, clock);
    for (const row of await copy.rows()) {
      expect(() => decryptRow(keysNow, row)).toThrow(VaultShreddedError);
      expect(() => decryptRow(keys, row)).toThrow(VaultShreddedError); // no stale cached key either
    }
    await copy.close();
    expect(fs.existsSync(path.join(keysDir, 'vault', '2026-03-01.key'))).toBe(false);
    // newer records are untouched
    const [freshRow] = (await t.sql(`${VAULT_ROWS.replace('ORDER BY id', '')} WHERE id = $1`, [fresh.vault[0]!.id])) as VaultRow[];
    expect(decryptRow(keysNow, freshRow!).ip).toBe('198.51.100.1');
    expect(await t.prisma.vaultRecord.count()).toBe(1);

    const audit = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'vault.shred' } });
    expect(audit).toMatchObject({ actorType: 'system', targetType: 'vault', reason: 'retention' });
    expect(audit.after).toMatchObject({ days: ['2026-03-01'], records: 6 });
    expect((await verifyChain(t.prisma)).ok).toBe(true);

    // nothing more to shred: no second row
    expect((await shredVault({ actor: SYSTEM, db: t.prisma }, { keysDir, now, retentionDays: 90 })).audited).toBe(false);
    expect(await t.prisma.auditEvent.count({ where: { action: 'vault.shred' } })).toBe(1);
  });

  it('keys.rotate is audited with epoch ids only, and people cannot run it or the purge', async () => {
    const before = new KeyRing(keysDir, clock).currentEpoch().id;
    const r = await rotateKeys({ actor: SYSTEM, db: t.prisma }, { keysDir, force: true, now });
    expect(r.retired!.id).toBe(before);
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'keys.rotate' }, orderBy: { seq: 'desc' } });
    expect(row.after).toMatchObject({ current: r.created!.id, retired: before });
    const keyFile = fs.readFileSync(path.join(keysDir, 'pseudonym', `${r.created!.id}.key`), 'utf8').trim();
    expect(serialise(row)).not.toContain(keyFile);

    const steward = await makeActor(t.prisma, 'steward');
    const count = await t.prisma.auditEvent.count();
    await expect(rotateKeys(ctx(steward, t.prisma), { keysDir, force: true, now })).rejects.toBeInstanceOf(ForbiddenError);
    now = new Date(now.getTime() + 200 * DAY);
    await expect(shredVault(ctx(steward, t.prisma), { keysDir, now })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.prisma.auditEvent.count()).toBe(count);
    expect(new KeyRing(keysDir, clock).currentEpoch().id).toBe(r.created!.id);
  });
});
