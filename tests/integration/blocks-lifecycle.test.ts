import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKeyDir } from '@/lib/blocks/anchor';
import { ValidationError } from '@/lib/errors';
import { createBlock, massBlock } from '@/lib/services/block-create';
import { expireBlocks, modifyBlock, removeBlock } from '@/lib/services/block-change';
import { rotateKeys } from '@/lib/services/keys-rotate';
import { shredVault } from '@/lib/services/vault-shred';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { blockRig, type BlockRig } from '../helpers/blocks';
import { createTestDb, type TestDb } from '../helpers/db';
import { anonEdit, rawEdit } from '../helpers/raw-edit';

/** Blocks over time: options that narrow matching, expiry, modify/unblock, mass block, key rotation, vault retention. */
let t: TestDb;
let rig: BlockRig;
let admin: Awaited<ReturnType<typeof makeActor>>;
const DAY = 86_400_000;
beforeAll(async () => {
  t = await createTestDb();
  rig = blockRig(t.prisma);
  admin = await makeActor(t.prisma, 'admin');
});
afterAll(async () => {
  rig?.cleanup();
  await t?.close();
});

let n = 0;
const sid = () => `life-${++n}`;
const opts = (over: Record<string, unknown> = {}) => ({ wiki: 'enwiki', expiry: '1 week', reasonPreset: 'Vandalism' as const, ...over });
const keyFile = (id: string) => path.join(blockKeyDir(rig.keysDir), `${id}.key`);

async function keyOf(ip: string): Promise<string> {
  const [row] = await rig.ingest([anonEdit(ip, { sourceId: sid() })]);
  return (await t.prisma.edit.findUniqueOrThrow({ where: { id: row!.id } })).ipKey!;
}
async function rangeBlock(ip: string, prefix: number, over: Record<string, unknown> = {}) {
  const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'range', from: await keyOf(ip), prefix }, options: opts(over) }, rig.deps);
  await rig.matcher.reload();
  return b;
}
const flags = async (...raws: Parameters<BlockRig['ingest']>[0]) => (await rig.ingest(raws)).map((r) => r.evasionBlockId);

describe('options that narrow what a block matches', () => {
  it('partial blocks match only their pages and namespaces', async () => {
    const b = await rangeBlock('10.1.1.1', 24, { pages: ['Target page'], namespaces: [4] });
    expect(
      await flags(
        anonEdit('10.1.1.2', { sourceId: sid(), title: 'Target page' }),
        anonEdit('10.1.1.3', { sourceId: sid(), title: 'Other page', namespace: 4 }),
        anonEdit('10.1.1.4', { sourceId: sid(), title: 'Other page', namespace: 0 }),
      ),
    ).toEqual([b.id, b.id, null]);
  });

  it('anon-only range blocks leave registered users in the range alone; hard blocks do not', async () => {
    const soft = await rangeBlock('10.2.2.1', 24, { anonOnly: true });
    const hard = await rangeBlock('10.3.3.1', 24, { anonOnly: false });
    const user = (ip: string) => rawEdit({ sourceId: sid(), user: 'Registered', ip });
    const temp = (ip: string) => rawEdit({ sourceId: sid(), user: '~2026-1', isTemp: true, ip });
    expect(await flags(user('10.2.2.9'), temp('10.2.2.9'), anonEdit('10.2.2.9', { sourceId: sid() }))).toEqual([null, soft.id, soft.id]);
    expect(await flags(user('10.3.3.9'))).toEqual([hard.id]);
    const row = await t.prisma.block.findUniqueOrThrow({ where: { id: soft.id } });
    expect(row).toMatchObject({ anonOnly: true, noCreate: true, autoblock: false });
  });

  it('a block at a length that is not stored makes ingest compute it while the block is active', async () => {
    const b = await rangeBlock('10.4.16.1', 20);
    const [inside, outside, elsewhere] = await rig.ingest([
      anonEdit('10.4.31.200', { sourceId: sid() }),
      anonEdit('10.4.32.1', { sourceId: sid() }),
      anonEdit('10.99.0.1', { sourceId: sid() }),
    ]);
    expect(inside!.evasionBlockId).toBe(b.id);
    expect(outside!.evasionBlockId).toBeNull();
    // the /20 is computed only for addresses in the block's /16 (the wider stored range), not for every event
    expect(elsewhere!.extraRanges).toBeNull();
    expect(inside!.extraRanges).toEqual([{ prefix: 20, key: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    await removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: 'done' }, rig.deps);
    await rig.matcher.reload();
    const [after] = await rig.ingest([anonEdit('10.4.31.201', { sourceId: sid() })]);
    expect(after!.evasionBlockId).toBeNull();
    expect(after!.extraRanges).toBeNull();
  });
});

describe('expiry, modify, unblock', () => {
  it('an expired block stops matching at once, and the sweep ends it, destroys its key and audits it', async () => {
    const b = await rangeBlock('10.5.5.1', 24, { expiry: '2 hours' });
    expect(await flags(anonEdit('10.5.5.2', { sourceId: sid() }))).toEqual([b.id]);
    const start = rig.now();
    rig.setNow(new Date(start.getTime() + 2 * 3_600_000 + 1));
    expect(await flags(anonEdit('10.5.5.3', { sourceId: sid() }))).toEqual([null]);
    const r = await expireBlocks({ actor: SYSTEM, db: t.prisma }, rig.deps);
    expect(r.expired).toContain(b.id);
    expect(await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ endReason: 'expired' });
    expect(fs.existsSync(keyFile(b.id))).toBe(false);
    expect(await t.prisma.auditEvent.count({ where: { action: 'block.expire' } })).toBe(1);
    // nothing due: no second row
    expect((await expireBlocks({ actor: SYSTEM, db: t.prisma }, rig.deps)).expired).toEqual([]);
    expect(await t.prisma.auditEvent.count({ where: { action: 'block.expire' } })).toBe(1);
    rig.setNow(start);
  });

  it('modify changes expiry, reason and options with before/after in the audit row; unblock ends it and destroys the key', async () => {
    const b = await rangeBlock('10.6.6.1', 24, { expiry: '1 day' });
    const m = await modifyBlock(ctx(admin, t.prisma), { blockId: b.id, options: { expiry: '1 month', reasonPreset: 'Long-term abuse', anonOnly: true } }, rig.deps);
    expect(Date.parse(m.expiresAt!) - rig.now().getTime()).toBe(30 * DAY);
    const audit = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'block.modify', targetId: b.id } });
    expect(audit.before).toMatchObject({ anonOnly: false, reason: 'Vandalism' });
    expect(audit.after).toMatchObject({ anonOnly: true });
    expect(audit.reason).toBe('Long-term abuse');
    const patroller = await makeActor(t.prisma, 'patroller');
    await expect(removeBlock(ctx(patroller, t.prisma), { blockId: b.id, reason: 'x' }, rig.deps)).rejects.toThrow(/permission/);
    await expect(removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: '' }, rig.deps)).rejects.toBeInstanceOf(ValidationError);
    await removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: 'appeal accepted' }, rig.deps);
    expect(fs.existsSync(keyFile(b.id))).toBe(false);
    expect(await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ endReason: 'unblocked', endedByName: admin.username });
    await rig.matcher.reload();
    expect(await flags(anonEdit('10.6.6.9', { sourceId: sid() }))).toEqual([null]);
    await expect(removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: 'again' }, rig.deps)).rejects.toThrow(/No active block/);
  });
});

describe('mass block', () => {
  const cluster = async (id: string, members: { key: string; kind: string; display: string }[], memberCount = members.length) =>
    t.prisma.cluster.create({
      data: {
        id, rev: 1n, status: 'active', wikis: ['enwiki'], memberCount, editCount: 10, heat: 1, peakHeat: 1,
        firstSeen: rig.now(), lastSeen: rig.now(), reasons: [], detail: { members },
      },
    });

  it('blocks every IP and temporary-account member as one audited operation, skipping those already blocked', async () => {
    const k1 = await keyOf('10.7.7.1');
    const k2 = await keyOf('10.7.8.1');
    await rig.ingest([rawEdit({ sourceId: sid(), user: '~2026-7', isTemp: true })]);
    await createBlock(ctx(admin, t.prisma), { target: { type: 'actor', actorKey: k2 }, options: opts() }, rig.deps);
    await cluster('c-mass', [
      { key: `ip:${k1}`, kind: 'ip', display: 'IP-A' },
      { key: `ip:${k2}`, kind: 'ip', display: 'IP-B' },
      { key: 'temp:~2026-7', kind: 'temp', display: '~2026-7' },
    ]);
    const audits = await t.prisma.auditEvent.count();
    const r = await massBlock(ctx(admin, t.prisma), { clusterId: 'c-mass', options: opts() }, rig.deps);
    expect(r.blocks.map((b) => b.targetType).sort()).toEqual(['account', 'actor']);
    expect(r.skipped).toBe(1);
    expect(await t.prisma.auditEvent.count()).toBe(audits + 1);
    expect(await t.prisma.block.count({ where: { massId: r.massId } })).toBe(2);
  });

  it('refuses more than 200 targets', async () => {
    const members = Array.from({ length: 201 }, (_, i) => ({ key: `temp:~x-${i}`, kind: 'temp', display: `~x-${i}` }));
    await cluster('c-big', members);
    const before = await t.prisma.block.count();
    await expect(massBlock(ctx(admin, t.prisma), { clusterId: 'c-big', options: opts() }, rig.deps)).rejects.toThrow(/limited to 200 targets.*201 members/);
    expect(await t.prisma.block.count()).toBe(before);
  });
});

describe('survival', () => {
  it('a range block keeps matching after keys:rotate and after the vault retention shredded the edits it came from', async () => {
    const b = await rangeBlock('10.9.9.1', 24, { expiry: 'indefinite' });
    const epoch0 = rig.keys.currentEpoch().id;
    await rotateKeys({ actor: SYSTEM, db: t.prisma }, { keysDir: rig.keysDir, force: true, now: rig.now() });
    rig.keys.reload();
    expect(rig.keys.currentEpoch().id).not.toBe(epoch0);
    const [rotated] = await rig.ingest([anonEdit('10.9.9.50', { sourceId: sid() })]);
    expect(rotated!.evasionBlockId).toBe(b.id);
    const row = await t.prisma.edit.findUniqueOrThrow({ where: { id: rotated!.id } });
    expect(row.range24).not.toBe((await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).targetKey);

    rig.setNow(new Date(rig.now().getTime() + 91 * DAY));
    rig.keys.reload();
    const shred = await shredVault({ actor: SYSTEM, db: t.prisma }, { keysDir: rig.keysDir, now: rig.now(), retentionDays: 90 });
    expect(shred.audited).toBe(true);
    await rotateKeys({ actor: SYSTEM, db: t.prisma }, { keysDir: rig.keysDir, force: true, now: rig.now() });
    rig.keys.reload();
    await rig.matcher.reload();
    const [later] = await rig.ingest([anonEdit('10.9.9.77', { sourceId: sid() })]);
    expect(later!.evasionBlockId).toBe(b.id);
  });
});
