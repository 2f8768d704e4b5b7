import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBlockSync, MAX_ATTEMPTS } from '@/lib/blocks/sync';
import { createBlock } from '@/lib/services/block-create';
import { modifyBlock, removeBlock } from '@/lib/services/block-change';
import { importWikiBlocks } from '@/lib/services/block-import';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { blockRig, type BlockRig } from '../helpers/blocks';
import { createTestDb, type TestDb } from '../helpers/db';
import { fakeMediaWiki, type FakeWiki } from '../helpers/fake-mediawiki';
import { dumpAllTables, findLeaks } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';

/** Day-one import of a wiki's blocks (list=blocks) and the outbound sync (action=block/unblock), against a fake wiki on loopback. */
let t: TestDb;
let rig: BlockRig;
let wiki: FakeWiki;
const BOT = { user: 'Maskpatrol@sync', password: 'bot-password-0123456789' };
const CANARIES = ['198.51.100.5', '198.51.100.0', '2001:db8:abcd::', '10.0.0.0', '10.30.40.0', '10.30.40.7'];
const future = new Date('2026-06-01T00:00:00Z').toISOString();
beforeAll(async () => {
  t = await createTestDb();
  rig = blockRig(t.prisma);
  wiki = await fakeMediaWiki({
    ...BOT,
    blocks: [
      { id: 1, user: '198.51.100.5', by: 'Admin A', expiry: future, reason: 'vandalism', nocreate: true },
      { id: 2, user: '198.51.100.0/24', by: 'Admin A', expiry: 'infinity', reason: 'range abuse', anononly: true },
      { id: 3, user: '2001:db8:abcd::/48', by: 'Admin B', expiry: future, reason: 'LTA', partial: true, restrictions: { pages: [{ title: 'Foo' }], namespaces: [4] } },
      { id: 4, user: '10.0.0.0/8', by: 'Steward', expiry: future, reason: 'too wide for us' },
      { id: 5, user: '~2026-00005-1', by: 'Admin B', expiry: future, reason: 'socking', autoblock: true },
      { id: 6, user: 'Vandal account', by: 'Admin B', expiry: '2026-02-01T00:00:00Z', reason: 'expired already' },
    ],
  });
  rig.deps.wikis = [{ wiki: 'enwiki', api: wiki.api, import: true, sync: true, botUser: BOT.user, botPassword: BOT.password }];
});
afterAll(async () => {
  await wiki?.close();
  rig?.cleanup();
  await t?.close();
});
let n = 0;
const sid = () => `wiki-${++n}`;

describe('import of existing wiki blocks', () => {
  it('imports IP, range and account blocks, masking IP targets into anchors, and enforces them', async () => {
    const r = await importWikiBlocks({ actor: SYSTEM, db: t.prisma }, rig.deps.wikis[0]!, rig.deps);
    expect(r).toEqual({ wiki: 'enwiki', fetched: 6, imported: 4, existing: 1, unsupported: 1 });
    const rows = await t.prisma.block.findMany({ where: { origin: 'import' }, orderBy: { remoteId: 'asc' } });
    expect(rows.map((b) => [b.remoteId, b.targetType, b.prefix])).toEqual([
      [1, 'actor', null],
      [2, 'range', 24],
      [3, 'range', 48],
      [5, 'account', null],
    ]);
    expect(rows[0]!.targetLabel).toMatch(/^IP-/);
    expect(rows[1]).toMatchObject({ anonOnly: true, expiresAt: null, targetLabel: expect.stringMatching(/^R24-/) });
    expect(rows[2]).toMatchObject({ partialPages: ['Foo'], partialNamespaces: [4], targetLabel: expect.stringMatching(/^R6-48-/) });
    expect(rows[3]).toMatchObject({ targetLabel: '~2026-00005-1', autoblock: true, createdByName: 'Admin B (enwiki)' });
    expect(await t.prisma.auditEvent.count({ where: { action: 'block.import' } })).toBe(1);

    await rig.matcher.reload();
    const flagged = await rig.ingest([
      anonEdit('198.51.100.77', { sourceId: sid() }),
      anonEdit('2001:db8:abcd:1::9', { sourceId: sid(), title: 'Foo' }),
      anonEdit('2001:db8:abcd:1::9', { sourceId: sid(), title: 'Bar' }),
      rawEdit({ sourceId: sid(), user: '~2026-00005-1', isTemp: true }),
      anonEdit('10.1.2.3', { sourceId: sid() }),
    ]);
    expect(flagged.map((f) => (f.evasionBlockId ? rows.find((b) => b.id === f.evasionBlockId)!.remoteId : null))).toEqual([2, 3, null, 5, null]);

    // again: nothing new
    expect(await importWikiBlocks({ actor: SYSTEM, db: t.prisma }, rig.deps.wikis[0]!, rig.deps)).toMatchObject({ imported: 0, existing: 5 });
    const { text } = await dumpAllTables(t.sql, ['vault_record.ciphertext', 'block.anchorCt']);
    expect(findLeaks(text, CANARIES)).toEqual([]);
  });
});

describe('outbound sync', () => {
  it('pushes a new block, its modification and its unblock to the wiki with a bot-password login; status is visible', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const [row] = await rig.ingest([anonEdit('10.30.40.7', { sourceId: sid() })]);
    const key = (await t.prisma.edit.findUniqueOrThrow({ where: { id: row!.id } })).ipKey!;
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'range', from: key, prefix: 24 }, options: { wiki: 'enwiki', expiry: '1 week', reasonPreset: 'Vandalism', pages: ['P'] } }, rig.deps);
    expect((await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).syncStatus).toBe('pending');
    expect(await runBlockSync(t.prisma, rig.deps)).toEqual({ pushed: 1, failed: 0 });
    expect(wiki.writes.at(-1)).toMatchObject({ action: 'block', user: '10.30.40.0/24', reason: 'Vandalism', nocreate: '1', partial: '1', pagerestrictions: 'P' });
    const pushed = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(pushed).toMatchObject({ syncStatus: 'done', syncError: null });
    expect(pushed.remoteId).toBeGreaterThan(1000);

    await modifyBlock(ctx(admin, t.prisma), { blockId: b.id, options: { expiry: 'indefinite', reasonText: 'longer' } }, rig.deps);
    await runBlockSync(t.prisma, rig.deps);
    expect(wiki.writes.at(-1)).toMatchObject({ action: 'block', reblock: '1', expiry: 'infinity', reason: 'longer' });

    await removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: 'lifted' }, rig.deps);
    await runBlockSync(t.prisma, rig.deps);
    expect(wiki.writes.at(-1)).toMatchObject({ action: 'unblock', id: String(pushed.remoteId) });
    expect((await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).syncStatus).toBe('done');
  });

  it('retries failures with backoff and ends as failed with the API error code only', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    await rig.ingest([rawEdit({ sourceId: sid(), user: '~2026-00077-1', isTemp: true })]);
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'account', name: '~2026-00077-1' }, options: { wiki: 'enwiki', expiry: '1 day', reasonPreset: 'Vandalism' } }, rig.deps);
    wiki.failWrites = 100;
    const start = rig.now();
    await runBlockSync(t.prisma, rig.deps);
    let row = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(row).toMatchObject({ syncStatus: 'pending', syncAttempts: 1, syncError: 'ratelimited' });
    // within the backoff: not retried
    await runBlockSync(t.prisma, rig.deps);
    expect((await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).syncAttempts).toBe(1);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      rig.setNow(new Date(rig.now().getTime() + 5_000 * 2 ** i + 1));
      await runBlockSync(t.prisma, rig.deps);
    }
    row = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(row).toMatchObject({ syncStatus: 'failed', syncAttempts: MAX_ATTEMPTS, syncError: 'ratelimited' });
    wiki.failWrites = 0;
    rig.setNow(start);
  });

  it('a wrong bot password is a login error on the block, not a crash', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    await rig.ingest([rawEdit({ sourceId: sid(), user: '~2026-00078-1', isTemp: true })]);
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'account', name: '~2026-00078-1' }, options: { wiki: 'enwiki', expiry: '1 day', reasonPreset: 'Vandalism' } }, rig.deps);
    const deps = { ...rig.deps, wikis: [{ ...rig.deps.wikis[0]!, botPassword: 'wrong' }] };
    expect(await runBlockSync(t.prisma, deps)).toMatchObject({ failed: 1 });
    expect(await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ syncStatus: 'pending', syncError: 'login-failed' });
  });
});
