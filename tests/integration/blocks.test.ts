import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { blockKeyDir } from '@/lib/blocks/anchor';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { createBlock, type TBlockCreateRequest } from '@/lib/services/block-create';
import { collateralPreview } from '@/lib/blocks/collateral';
import { blockChoices } from '@/lib/blocks/choices';
import { blockLog, listBlocks } from '@/lib/blocks/queries';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { blockRig, type BlockRig } from '../helpers/blocks';
import { createTestDb, type TestDb } from '../helpers/db';
import { dumpAllTables, findLeaks, serialise } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';

/** Blocks: targets, CIDR limits, permissions, audit atomicity, enforcement on ingest, no address anywhere. */
let t: TestDb;
let rig: BlockRig;
beforeAll(async () => {
  t = await createTestDb();
  rig = blockRig(t.prisma);
});
afterAll(async () => {
  rig?.cleanup();
  await t?.close();
});

const CANARIES = ['198.51.100.77', '198.51.100.200', '203.0.113.9', '2001:db8:77:1::5', '2001:db8:77:2::9'];
let n = 0;
const sid = () => `blk-${++n}`;
const opts = (over: Partial<TBlockCreateRequest['options']> = {}) => ({ wiki: 'enwiki', expiry: '1 week', reasonPreset: 'Vandalism' as const, ...over });

async function actorKeyOf(ip: string): Promise<string> {
  const [row] = await rig.ingest([anonEdit(ip, { sourceId: sid() })]);
  const e = await t.prisma.edit.findUniqueOrThrow({ where: { id: row!.id } });
  return e.ipKey!;
}

describe('block.create', () => {
  it('range-blocks the /24 around an actor without the network anywhere, and flags the next edit from that /24', async () => {
    const admin = await makeActor(t.prisma, 'admin', 'enwiki');
    const key = await actorKeyOf('198.51.100.77');
    const before = await t.prisma.auditEvent.count();
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'range', from: key, prefix: 24 }, options: opts({ reasonText: 'wave' }) }, rig.deps);
    expect(b).toMatchObject({ wiki: 'enwiki', targetType: 'range' });
    expect(b.targetLabel).toMatch(/^R24-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await t.prisma.auditEvent.count()).toBe(before + 1);
    const audit = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'block.create', targetId: b.id } });
    expect(audit).toMatchObject({ actorId: admin.id, wiki: 'enwiki', reason: 'Vandalism: wave', targetType: 'block' });
    expect(audit.after).toMatchObject({ target: { type: 'range', label: b.targetLabel, prefix: 24 }, noCreate: true, autoblock: false });
    expect(fs.existsSync(path.join(blockKeyDir(rig.keysDir), `${b.id}.key`))).toBe(true);

    await rig.matcher.reload();
    const [inRange, outside, otherWiki] = await rig.ingest([
      anonEdit('198.51.100.200', { sourceId: sid() }),
      anonEdit('203.0.113.9', { sourceId: sid() }),
      anonEdit('198.51.100.201', { sourceId: sid(), wiki: 'dewiki' }),
    ]);
    expect(inRange!.evasionBlockId).toBe(b.id);
    expect(outside!.evasionBlockId).toBeNull();
    expect(otherWiki!.evasionBlockId).toBeNull();
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });

  it('refuses a /15 (and anything wider than the CIDR limit, or narrower than /32 and /64) with a clear message', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const v4 = await actorKeyOf('203.0.113.10');
    const v6 = await actorKeyOf('2001:db8:77:1::5');
    const blocks = await t.prisma.block.count();
    const refusal = (from: string, prefix: number) => createBlock(ctx(admin, t.prisma), { target: { type: 'range', from, prefix }, options: opts() }, rig.deps);
    await expect(refusal(v4, 15)).rejects.toThrow(/at most \/16 wide.*\/15 is wider/);
    await expect(refusal(v4, 15)).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal(v4, 33)).rejects.toThrow(/down to \/32/);
    await expect(refusal(v6, 18)).rejects.toThrow(/at most \/19 wide/);
    await expect(refusal(v6, 65)).rejects.toThrow(/down to \/64/);
    expect(await t.prisma.block.count()).toBe(blocks);
    // the limits themselves are allowed
    await expect(refusal(v4, 16)).resolves.toMatchObject({ targetLabel: expect.stringMatching(/^R16-/) });
    await expect(refusal(v6, 19)).resolves.toMatchObject({ targetLabel: expect.stringMatching(/^R6-19-/) });
    await expect(refusal(v6, 64)).resolves.toMatchObject({ targetLabel: expect.stringMatching(/^R6-64-/) });
  });

  it('blocks an actor (one address) and a temporary account; a second block of the same target conflicts', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const key = await actorKeyOf('192.0.2.44');
    await rig.ingest([rawEdit({ sourceId: sid(), user: '~2026-00042-1', isTemp: true })]);
    const a = await createBlock(ctx(admin, t.prisma), { target: { type: 'actor', actorKey: key }, options: opts() }, rig.deps);
    expect(a.targetLabel).toMatch(/^IP-/);
    const tmp = await createBlock(ctx(admin, t.prisma), { target: { type: 'account', name: '~2026-00042-1' }, options: opts({ expiry: 'indefinite' }) }, rig.deps);
    // the documented rule: a temporary account lives at most 90 days, so its block does too
    expect(Date.parse(tmp.expiresAt!) - rig.now().getTime()).toBe(90 * 86_400_000);
    await expect(createBlock(ctx(admin, t.prisma), { target: { type: 'actor', actorKey: key }, options: opts() }, rig.deps)).rejects.toBeInstanceOf(ConflictError);
    await rig.matcher.reload();
    const [again, tempAgain, neighbour] = await rig.ingest([
      anonEdit('192.0.2.44', { sourceId: sid() }),
      rawEdit({ sourceId: sid(), user: '~2026-00042-1', isTemp: true }),
      anonEdit('192.0.2.45', { sourceId: sid() }),
    ]);
    expect(again!.evasionBlockId).toBe(a.id);
    expect(tempAgain!.evasionBlockId).toBe(tmp.id);
    expect(neighbour!.evasionBlockId).toBeNull();
  });

  it('patrollers, admins of another wiki and non-stewards for all wikis are refused (403) with no block and no audit row', async () => {
    const key = await actorKeyOf('192.0.2.60');
    const patroller = await makeActor(t.prisma, 'patroller');
    const dewikiAdmin = await makeActor(t.prisma, 'admin', 'dewiki');
    const globalAdmin = await makeActor(t.prisma, 'admin');
    const steward = await makeActor(t.prisma, 'steward');
    const audits = await t.prisma.auditEvent.count();
    const blocks = await t.prisma.block.count();
    const req = (wiki: string) => ({ target: { type: 'actor' as const, actorKey: key }, options: opts({ wiki }) });
    await expect(createBlock(ctx(patroller, t.prisma), req('enwiki'), rig.deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createBlock(ctx(dewikiAdmin, t.prisma), req('enwiki'), rig.deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createBlock(ctx(globalAdmin, t.prisma), req('*'), rig.deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.prisma.auditEvent.count()).toBe(audits);
    expect(await t.prisma.block.count()).toBe(blocks);
    const all = await createBlock(ctx(steward, t.prisma), req('*'), rig.deps);
    await rig.matcher.reload();
    const [de] = await rig.ingest([anonEdit('192.0.2.60', { sourceId: sid(), wiki: 'dewiki' })]);
    expect(de!.evasionBlockId).toBe(all.id);
  });

  it('needs a reason, and validates expiry and partial options naming the field only', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const key = await actorKeyOf('192.0.2.70');
    const target = { type: 'actor' as const, actorKey: key };
    await expect(createBlock(ctx(admin, t.prisma), { target, options: { wiki: 'enwiki', expiry: '1 day' } }, rig.deps)).rejects.toThrow(/reason/);
    await expect(createBlock(ctx(admin, t.prisma), { target, options: opts({ expiry: 'whenever 192.0.2.70' }) }, rig.deps)).rejects.toThrow(/^expiry: use a duration/);
    await expect(createBlock(ctx(admin, t.prisma), { target, options: opts({ expiry: '2020-01-01' }) }, rig.deps)).rejects.toThrow(/future/);
    await expect(
      createBlock(ctx(admin, t.prisma), { target, options: opts({ pages: Array.from({ length: 11 }, (_, i) => `P${i}`) }) }, rig.deps),
    ).rejects.toBeInstanceOf(ValidationError);
    const ind = await createBlock(ctx(admin, t.prisma), { target, options: opts({ expiry: 'indefinite', reasonPreset: undefined, reasonText: 'LTA' }) }, rig.deps);
    expect(ind.expiresAt).toBeNull();
    expect((await t.prisma.block.findUniqueOrThrow({ where: { id: ind.id } })).reason).toBe('LTA');
  });

  it('a failed audit insert means no block and no anchor key', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const key = await actorKeyOf('192.0.2.80');
    const blocks = await t.prisma.block.count();
    const keyFiles = () => (fs.existsSync(blockKeyDir(rig.keysDir)) ? fs.readdirSync(blockKeyDir(rig.keysDir)).length : 0);
    const files = keyFiles();
    await t.sql(`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await t.sql(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_audit()`);
    try {
      await expect(createBlock(ctx(admin, t.prisma), { target: { type: 'range', from: key, prefix: 24 }, options: opts() }, rig.deps)).rejects.toThrow();
    } finally {
      await t.sql(`DROP TRIGGER fail_audit ON audit_event`);
    }
    expect(await t.prisma.block.count()).toBe(blocks);
    expect(keyFiles()).toBe(files);
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });

  it('previews the collateral of a range block: edits, IP actors, temporary accounts and registered users of the last 30 days', async () => {
    const admin = await makeActor(t.prisma, 'admin', 'enwiki');
    const patroller = await makeActor(t.prisma, 'patroller');
    await rig.ingest([
      anonEdit('10.20.30.1', { sourceId: sid() }),
      anonEdit('10.20.30.1', { sourceId: sid() }),
      anonEdit('10.20.30.2', { sourceId: sid() }),
      anonEdit('10.20.30.3', { sourceId: sid(), wiki: 'dewiki' }),
      rawEdit({ sourceId: sid(), user: '~2026-3030-1', isTemp: true, ip: '10.20.30.9' }),
      rawEdit({ sourceId: sid(), user: 'Registered 3030', ip: '10.20.30.10' }),
      anonEdit('10.20.17.5', { sourceId: sid() }),
      anonEdit('10.20.30.4', { sourceId: sid(), timestamp: '2026-01-02T00:00:00Z' }),
    ]);
    const from = await actorKeyOf('10.20.30.20');
    const preview = (prefix: number, wiki = 'enwiki') => collateralPreview(admin, { target: { type: 'range', from, prefix }, wiki }, rig.deps);
    expect(await preview(24)).toEqual({ days: 30, edits: 6, actors: 3, tempAccounts: 1, users: 1, approximate: false, epochsUncounted: 0 });
    // a length that is not stored: counted through its /24s, or (below /24) its addresses
    expect(await preview(20)).toMatchObject({ edits: 7, actors: 4, approximate: false });
    expect(await preview(27)).toMatchObject({ edits: 6, actors: 3, tempAccounts: 1, users: 1 });
    expect(await preview(28)).toMatchObject({ edits: 1, actors: 1, tempAccounts: 0, users: 0 });
    expect(await preview(32)).toMatchObject({ edits: 1, actors: 1 });
    await expect(preview(15)).rejects.toThrow(/\/15 is wider/);
    await expect(collateralPreview(patroller, { target: { type: 'range', from, prefix: 24 }, wiki: 'enwiki' }, rig.deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(findLeaks(serialise(await preview(24)), ['10.20.30.1', '10.20.30.20'])).toEqual([]);
  });

  it('leaves no canary address in any table (blocks, audit rows, edits) — the anchor is ciphertext', async () => {
    const { text } = await dumpAllTables(t.sql, ['vault_record.ciphertext', 'block.anchorCt']);
    expect(findLeaks(text, CANARIES)).toEqual([]);
    const rows = await t.prisma.block.findMany();
    for (const r of rows) if (r.anchorCt) expect(findLeaks(serialise(Buffer.from(r.anchorCt).toString('latin1')), CANARIES)).toEqual([]);
    expect(rows.length).toBeGreaterThan(3);
    void SYSTEM;
  });

  it('the block list, the block log and the dialog choices carry labels only; patrollers read blocks but get no choices', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const patroller = await makeActor(t.prisma, 'patroller');
    const key = await actorKeyOf('198.51.100.77');
    const views = [await listBlocks(admin), await listBlocks(admin, { ended: true }), await blockLog(admin), await blockChoices(admin, { actorKey: key }, { v4: 16, v6: 19 })];
    const text = serialise(views);
    expect(findLeaks(text, CANARIES)).toEqual([]);
    expect(text).not.toContain('anchor');
    const choices = views[3] as Awaited<ReturnType<typeof blockChoices>>;
    expect(choices.ranges.map((r) => [r.label.slice(0, 4), r.prefixes[0], r.prefixes.at(-1)])).toEqual([
      ['R24-', 24, 16],
      ['R16-', 16, 16],
    ]);
    expect((await listBlocks(patroller)).length).toBeGreaterThan(0);
    expect((await blockLog(patroller)).some((l) => l.action === 'block.create')).toBe(true);
    await expect(blockChoices(patroller, { actorKey: key })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
