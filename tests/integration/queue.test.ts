import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { parseFilters, DEFAULT_FILTERS } from '@/lib/edits/filters';
import { setEditHidden } from '@/lib/edits/hides';
import { editsAfter, editsByIds, queueCursor, queueEdits, queueWikis } from '@/lib/edits/queue';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { onQueueEvent, type QueueEvent } from '@/lib/ingest/bus';
import { reviewEdit } from '@/lib/services/edit-review';
import { unwhitelistEditor, whitelistEditor } from '@/lib/services/whitelist';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
let n = 0;
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

async function edit(over: Record<string, unknown> = {}): Promise<string> {
  n++;
  const e = await t.prisma.edit.create({
    data: {
      wiki: 'enwiki',
      sourceId: `t:${n}`,
      source: 'test',
      revId: BigInt(9000 + n),
      oldRevId: BigInt(8000 + n),
      type: 'edit',
      namespace: 0,
      title: `Page ${n}`,
      ts: new Date(Date.UTC(2026, 2, 1, 12, 0, n)),
      actorKind: 'ip',
      actorName: 'IP-AAAA-BBBB',
      epoch: 'e1',
      ipKey: KEY_A,
      ipFamily: 4,
      range24: 'c'.repeat(64),
      isAnon: true,
      isTemp: false,
      isBot: false,
      isMinor: false,
      isNew: false,
      serverUrl: 'https://en.wikipedia.org',
      score: 0.5,
      ...over,
    },
  });
  return e.id.toString();
}

const audits = (action: string) => t.prisma.auditEvent.count({ where: { action } });

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('edit.review', () => {
  it('records the review once, audits it, publishes it, and is idempotent', async () => {
    const p = await makeActor(t.prisma, 'patroller', 'enwiki');
    const id = await edit();
    const seen: QueueEvent[] = [];
    const off = onQueueEvent((e) => seen.push(e));
    const r = await reviewEdit(ctx(p, t.prisma), { editId: id });
    expect(r).toMatchObject({ editId: id, wiki: 'enwiki', alreadyReviewed: false, review: { by: p.username } });
    expect(await audits('edit.review')).toBe(1);
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'edit.review' } });
    expect(row).toMatchObject({ actorId: p.id, targetType: 'edit', targetId: id, wiki: 'enwiki' });
    expect(seen).toEqual([{ type: 'review', wiki: 'enwiki', editId: id, review: r.review }]);

    const other = await makeActor(t.prisma, 'admin', '*');
    const again = await reviewEdit(ctx(other, t.prisma), { editId: id });
    expect(again).toMatchObject({ alreadyReviewed: true, review: { by: p.username } });
    expect(await audits('edit.review')).toBe(1);
    expect(await t.prisma.editReview.count({ where: { editId: BigInt(id) } })).toBe(1);
    off();
    const [viewed] = await queueEdits(other, { ...DEFAULT_FILTERS, q: 'Page' }, { limit: 1 });
    expect(viewed?.review?.by).toBe(p.username);
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });

  it('refuses another wiki and users without a role, without an audit row or a review', async () => {
    const dewiki = await makeActor(t.prisma, 'patroller', 'dewiki');
    const none = await makeActor(t.prisma, null);
    const id = await edit();
    const before = await audits('edit.review');
    await expect(reviewEdit(ctx(dewiki, t.prisma), { editId: id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(reviewEdit(ctx(none, t.prisma), { editId: id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await audits('edit.review')).toBe(before);
    expect(await t.prisma.editReview.count({ where: { editId: BigInt(id) } })).toBe(0);
    const p = await makeActor(t.prisma, 'patroller', 'enwiki');
    await expect(reviewEdit(ctx(p, t.prisma), { editId: '999999999' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('two patrollers reviewing at once leave one review and one audit row', async () => {
    const a = await makeActor(t.prisma, 'patroller', 'enwiki');
    const b = await makeActor(t.prisma, 'patroller', 'enwiki');
    const id = await edit();
    const before = await audits('edit.review');
    const [ra, rb] = await Promise.all([reviewEdit(ctx(a, t.prisma), { editId: id }), reviewEdit(ctx(b, t.prisma), { editId: id })]);
    expect([ra.alreadyReviewed, rb.alreadyReviewed].sort()).toEqual([false, true]);
    expect(ra.review.by).toBe(rb.review.by);
    expect(await audits('edit.review')).toBe(before + 1);
  });
});

describe('whitelist.add / whitelist.remove', () => {
  it('whitelists the editor of an edit on its wiki (audited), hides their edits by default, and removes them again', async () => {
    const p = await makeActor(t.prisma, 'patroller', 'enwiki');
    const mine = await edit({ ipKey: KEY_B, actorName: 'IP-BBBB-CCCC', title: 'Trusted page' });
    const dewikiEdit = await edit({ wiki: 'dewiki', ipKey: KEY_B, actorName: 'IP-BBBB-CCCC', title: 'Trusted page de' });
    const r = await whitelistEditor(ctx(p, t.prisma), { editId: mine, reason: 'long-time good editor' });
    expect(r).toMatchObject({ wiki: 'enwiki', actorKey: KEY_B, whitelisted: true, unchanged: false });
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'whitelist.add' } });
    expect(row).toMatchObject({ actorId: p.id, targetType: 'actor', targetId: KEY_B, wiki: 'enwiki', reason: 'long-time good editor' });
    expect(await audits('whitelist.add')).toBe(1);
    expect((await whitelistEditor(ctx(p, t.prisma), { editId: mine })).unchanged).toBe(true);
    expect(await audits('whitelist.add')).toBe(1);

    const steward = await makeActor(t.prisma, 'steward');
    const ids = (f = DEFAULT_FILTERS) => queueEdits(steward, f).then((rows) => rows.map((x) => x.id));
    expect(await ids()).not.toContain(mine);
    expect(await ids()).toContain(dewikiEdit); // trusted on enwiki only
    const shown = await queueEdits(steward, { ...DEFAULT_FILTERS, showTrusted: true });
    expect(shown.find((x) => x.id === mine)?.whitelisted).toBe(true);
    expect(shown.find((x) => x.id === dewikiEdit)?.whitelisted).toBe(false);

    await unwhitelistEditor(ctx(p, t.prisma), { wiki: 'enwiki', actorKey: KEY_B });
    expect(await audits('whitelist.remove')).toBe(1);
    expect(await ids()).toContain(mine);
    await expect(unwhitelistEditor(ctx(p, t.prisma), { wiki: 'enwiki', actorKey: KEY_B })).rejects.toBeInstanceOf(NotFoundError);
    expect(await audits('whitelist.remove')).toBe(1);
  });

  it('refuses another wiki without an audit row', async () => {
    const dewiki = await makeActor(t.prisma, 'patroller', 'dewiki');
    const id = await edit({ actorKind: 'temp', actorName: '~2026-12345-67', ipKey: null });
    await expect(whitelistEditor(ctx(dewiki, t.prisma), { editId: id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(unwhitelistEditor(ctx(dewiki, t.prisma), { wiki: 'enwiki', actorKey: '~2026-12345-67' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.prisma.whitelistEntry.count({ where: { actorKey: '~2026-12345-67' } })).toBe(0);
    expect(await t.prisma.auditEvent.count({ where: { action: { in: ['whitelist.add', 'whitelist.remove'] }, actorId: dewiki.id } })).toBe(0);
  });
});

describe('queue query', () => {
  it('applies each filter and limits rows to the viewer\'s wikis', async () => {
    await t.prisma.edit.deleteMany({});
    const ip = await edit({ score: 0.9, namespace: 0, clusterId: 'c0ffee00-0000-0000-0000-000000000000' });
    const temp = await edit({ actorKind: 'temp', actorName: '~2026-11111-11', ipKey: null, score: 0.2, namespace: 1, isAnon: false, isTemp: true });
    const user = await edit({ actorKind: 'user', actorName: 'Regular', ipKey: null, score: 0.6, namespace: 0, isAnon: false, title: 'Zebra' });
    const de = await edit({ wiki: 'dewiki', score: 0.95 });
    const steward = await makeActor(t.prisma, 'steward');
    const en = await makeActor(t.prisma, 'patroller', 'enwiki');
    const q = (f: Record<string, string>, actor = steward) => queueEdits(actor, parseFilters(new URLSearchParams(f))).then((r) => r.map((x) => x.id).sort());
    const sorted = (...xs: string[]) => xs.sort();
    expect(await q({})).toEqual(sorted(ip, temp, user, de));
    expect(await q({}, en)).toEqual(sorted(ip, temp, user));
    await expect(queueEdits(en, parseFilters({ wiki: 'dewiki' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await q({ wiki: 'dewiki' })).toEqual([de]);
    expect(await q({ ns: '1' })).toEqual([temp]);
    expect(await q({ score: '0.6' })).toEqual(sorted(ip, user, de));
    expect(await q({ anon: '1' })).toEqual(sorted(ip, temp, de));
    expect(await q({ cluster: '1' })).toEqual([ip]);
    expect(await q({ q: 'zeb' })).toEqual([user]);
    // the search text is literal: LIKE's wildcards in it match only themselves
    expect(await q({ q: '%' })).toEqual([]);
    expect(await q({ q: 'Z_bra' })).toEqual([]);
    const pct = await edit({ title: '100% sure_thing' });
    expect(await q({ q: '0% sure_t' })).toEqual([pct]);
    await t.prisma.edit.delete({ where: { id: BigInt(pct) } });
    await reviewEdit(ctx(en, t.prisma), { editId: ip });
    expect(await q({ unreviewed: '1' })).toEqual(sorted(temp, user, de));

    // per-user hides: only for that user, and shown under "hidden"
    await setEditHidden(en, temp, true);
    expect(await q({}, en)).toEqual(sorted(ip, user));
    expect(await q({ hidden: '1' }, en)).toEqual([temp]);
    expect(await q({})).toContain(temp);
    await setEditHidden(en, temp, false);
    expect(await q({}, en)).toContain(temp);
    await expect(setEditHidden(en, de, true)).rejects.toBeInstanceOf(ForbiddenError);

    // the live stream's loaders: by id and after a cursor, only the viewer's wikis, masked rows
    expect((await editsByIds(en, [ip, de])).map((r) => r.id)).toEqual([ip]);
    const after = await editsAfter(steward, temp);
    expect(after.rows.map((r) => r.id).sort()).toEqual(sorted(user, de));
    expect(after.gap).toBe(false);
    // more than a page after the cursor: the newest page, and a gap the client must reload over
    const short = await editsAfter(steward, temp, 1);
    expect(short.rows.map((r) => r.id)).toEqual([[user, de].sort((a, b) => Number(b) - Number(a))[0]]);
    expect(short.gap).toBe(true);
    const [row] = await editsByIds(steward, [ip]);
    expect(row).toMatchObject({ actorKey: KEY_A, cluster: { label: 'C-C0FFEE' }, block: null, review: { by: expect.any(String) }, hidden: false });
    expect((await editsByIds(steward, [temp]))[0]?.review).toBeNull();
    expect(row?.rangeLinks[0]?.label).toMatch(/^R24-/);
    expect(row?.diffUrl).toMatch(/^https:\/\/en\.wikipedia\.org\/w\/index\.php\?diff=\d+&oldid=\d+$/);
  });
});

describe('queue page helpers', () => {
  it('offers the wikis with an edit in the last day, and the cursor is the highest edit id', async () => {
    await t.prisma.edit.deleteMany({});
    const steward = await makeActor(t.prisma, 'steward');
    expect(await queueWikis(steward)).toEqual([]);
    expect(await queueCursor(steward)).toBe('0');
    await edit({ wiki: 'frwiki' }); // months old: not offered
    await edit({ wiki: 'dewiki', ts: new Date() });
    await edit({ wiki: 'arwiki', ts: new Date(Date.now() - 3600_000) });
    const newestId = await edit({ wiki: 'zhwiki', ts: new Date(Date.now() - 25 * 3600_000) });
    expect(await queueWikis(steward)).toEqual(['arwiki', 'dewiki']);
    expect(await queueCursor(steward)).toBe(newestId);
    // a patroller of one wiki is offered that wiki, whatever is stored
    expect(await queueWikis(await makeActor(t.prisma, 'patroller', 'enwiki'))).toEqual(['enwiki']);
  });
});
