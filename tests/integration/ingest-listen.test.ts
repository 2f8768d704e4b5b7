import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { EditsStored, QueueEvent } from '@/lib/ingest/bus';
import { INSTANCE_ID, listenForStored, notifyStored } from '@/lib/ingest/listen';
import { reviewEdit } from '@/lib/services/edit-review';
import { unwhitelistEditor, whitelistEditor } from '@/lib/services/whitelist';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { sqlTrigger } from '../helpers/store-checks';

// LISTEN/NOTIFY is the fan-out between several app instances, which only exist on PostgreSQL (the embedded
// default is one process and publishes in-process).
const pgOnly = process.env.TEST_DB === 'postgres';

describe.runIf(pgOnly)('live fan-out across instances (LISTEN/NOTIFY)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.close());

  it('another instance hears each batch (in chunks that fit NOTIFY); an instance ignores its own; junk is dropped', async () => {
    const heardB: EditsStored[] = [];
    const heardA: EditsStored[] = [];
    const b = listenForStored(t.url!, { origin: 'instance-b', publish: (e) => heardB.push(e) });
    const a = listenForStored(t.url!, { origin: 'instance-a', publish: (e) => heardA.push(e) });
    await Promise.all([a.ready, b.ready]);
    const sender = new pg.Client({ connectionString: t.url });
    await sender.connect();
    try {
      const ids = Array.from({ length: 700 }, (_, i) => String(1_000_000_000_000 + i));
      await notifyStored(sender, { feed: 'replay:x', ids }, 'instance-a');
      await sender.query("SELECT pg_notify('maskpatrol_edits', 'not json')");
      await sender.query(`SELECT pg_notify('maskpatrol_edits', $1)`, [JSON.stringify({ o: 'z', f: 'x', i: ['1.2.3.4'] })]);
      await expect.poll(() => heardB.flatMap((e) => e.ids).length, { timeout: 10_000 }).toBe(700);
      expect(heardB.flatMap((e) => e.ids)).toEqual(ids);
      expect(heardB.every((e) => e.feed === 'replay:x')).toBe(true);
      expect(heardB.length).toBeGreaterThan(1); // chunked
      expect(heardA).toEqual([]); // its own notifications were published in-process already
    } finally {
      await sender.end();
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("a review or whitelist change on one instance reaches the others' buses at commit, and a rolled-back one never does", async () => {
    const other: QueueEvent[] = [];
    const own: QueueEvent[] = [];
    // "instance-b" is another app instance; the verbs below run in this process (INSTANCE_ID)
    const b = listenForStored(t.url!, { origin: 'instance-b', publish: () => {}, publishQueue: (e) => other.push(e) });
    const a = listenForStored(t.url!, { origin: INSTANCE_ID, publish: () => {}, publishQueue: (e) => own.push(e) });
    await Promise.all([a.ready, b.ready]);
    try {
      const patroller = await makeActor(t.prisma, 'patroller');
      const mk = (n: number) =>
        t.prisma.edit.create({
          data: {
            wiki: 'enwiki', sourceId: `listen:${n}`, source: 'test', type: 'edit', namespace: 0, title: `P${n}`,
            ts: new Date(), actorKind: 'temp', actorName: `~2026-1000${n}-1`, epoch: 'e1', isAnon: false, isTemp: true,
            isBot: false, isMinor: false, isNew: false,
          },
        });
      const [e1, e2] = await Promise.all([mk(1), mk(2)]);
      const c = ctx(patroller, t.prisma);
      await reviewEdit(c, { editId: e1.id.toString() });
      await whitelistEditor(c, { editId: e1.id.toString(), reason: 'trusted' });
      await unwhitelistEditor(c, { wiki: 'enwiki', actorKey: '~2026-10001-1', reason: 'no longer' });
      await expect.poll(() => other.length, { timeout: 10_000 }).toBe(3);
      expect(other[0]).toEqual({ type: 'review', wiki: 'enwiki', editId: e1.id.toString(), review: { by: patroller.username, at: expect.any(String) } });
      expect(other.slice(1)).toEqual([
        { type: 'whitelist', wiki: 'enwiki', actorKey: '~2026-10001-1', whitelisted: true },
        { type: 'whitelist', wiki: 'enwiki', actorKey: '~2026-10001-1', whitelisted: false },
      ]);

      // the audit insert fails: no review, and no instance hears of one
      await sqlTrigger(t, 'fail_audit_listen', 'audit_event', 'true', "RAISE EXCEPTION 'audit store unavailable'");
      await expect(reviewEdit(c, { editId: e2.id.toString() })).rejects.toThrow();
      await t.sql('DROP TRIGGER fail_audit_listen ON audit_event');
      await reviewEdit(c, { editId: e1.id.toString() }); // already reviewed: a no-op, announces nothing
      await reviewEdit(c, { editId: e2.id.toString() });
      await whitelistEditor(c, { editId: e2.id.toString(), reason: 'marker' });
      // notifications arrive in commit order: a leaked rolled-back review would sit before these two
      await expect.poll(() => other.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
      expect(other.slice(3).map((e) => [e.type, e.type === 'review' ? e.editId : e.actorKey])).toEqual([
        ['review', e2.id.toString()],
        ['whitelist', '~2026-10002-1'],
      ]);
      expect(own).toEqual([]); // this instance published its own in-process already
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
