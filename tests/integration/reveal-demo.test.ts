import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '@/lib/auth/actors';
import { seedDemoAccounts } from '@/lib/demo';
import { KeyRing } from '@/lib/masking/keyring';
import { revealIp } from '@/lib/services/reveal';
import { acknowledgeAgreement } from '@/lib/services/reveal-admin';
import { ctx } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { anonEdit } from '../helpers/raw-edit';
import { GOOD_REASON, ingestEdits } from '../helpers/reveal';

/** First-start demo accounts: the administrator keeps reveal access by a grant under an NDA on record. */
let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('reveal-demo');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('demo seed', () => {
  it('grants demo-admin the reveal under an NDA (audited); after their own acknowledgement they can reveal', async () => {
    await seedDemoAccounts(t.prisma, dir);
    const admin = await t.prisma.user.findUniqueOrThrow({ where: { username: 'demo-admin' } });
    const cu = await t.prisma.user.findUniqueOrThrow({ where: { username: 'demo-checkuser' } });
    expect(await t.prisma.revealHolder.findUnique({ where: { userId: admin.id } })).toMatchObject({ grantWiki: '*', agreementVersion: 'NDA-1', acknowledgedVersion: null });
    expect(await t.prisma.revealHolder.findUnique({ where: { userId: cu.id } })).toMatchObject({ grantWiki: null, agreementVersion: 'NDA-1' });
    expect(await t.prisma.auditEvent.count({ where: { action: 'reveal.grant', targetId: admin.id } })).toBe(1);
    expect(await t.prisma.auditEvent.count({ where: { action: 'reveal.agreement-record' } })).toBe(2);

    await ingestEdits(t.prisma, path.join(dir, 'keys'), [anonEdit('203.0.113.201', { timestamp: new Date().toISOString() })]);
    const key = ((await t.sql(`SELECT "ipKey" FROM edit LIMIT 1`))[0] as { ipKey: string }).ipKey;
    const actor: UserActor = { kind: 'user', id: admin.id, username: admin.username, roles: [{ role: 'admin', wiki: '*' }], stepUpAt: Date.now() };
    await expect(revealIp(ctx(actor, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys: new KeyRing(path.join(dir, 'keys')) })).rejects.toMatchObject({ refusal: 'not_acknowledged' });
    await acknowledgeAgreement(ctx(actor, t.prisma), { version: 'NDA-1' });
    const r = await revealIp(ctx(actor, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys: new KeyRing(path.join(dir, 'keys')) });
    expect(r.addresses[0]!.ip).toBe('203.0.113.201');
  });
});
