import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { EditsStored } from '@/lib/ingest/bus';
import { listenForStored, notifyStored } from '@/lib/ingest/listen';
import { createTestDb, type TestDb } from '../helpers/db';

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
});
