import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replayFile } from '@/lib/feed/replay';
import { DEFAULT_REPLAY_FILE } from '@/lib/ingest/feeds';
import { runFeed, type FeedSpec } from '@/lib/ingest/ingester';
import { storeBatch, type Batch } from '@/lib/ingest/store';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { createTestDb, type TestDb } from '../helpers/db';
import { anonEdit, rawEdit } from '../helpers/raw-edit';

/**
 * Exactly-once storage (lib/ingest/store.ts) and the ingester's batching (runFeed): edits, vault rows,
 * dead letters and the cursor land together or not at all; an edit seen again is skipped with its vault
 * rows; a replay resumed from the stored cursor, or re-read from the start, stores nothing twice.
 */
let t: TestDb;
let dir: string;
let masker: Masker;

beforeAll(async () => {
  t = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-ingest-store-'));
  masker = new Masker({ keys: new KeyRing(path.join(dir, 'keys')), limits: { v4: 16, v6: 19 } });
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.sql('TRUNCATE edit, vault_record, dead_letter, feed_state CASCADE'); // CASCADE: reviews and hides refer to edits
});

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
const state = async (feed: string) =>
  (await t.sql('SELECT cursor, "eventsTotal"::int AS "eventsTotal", "deadTotal"::int AS "deadTotal" FROM feed_state WHERE feed = $1', [feed]))[0];

function batchOf(raws: ReturnType<typeof rawEdit>[], cursor: string | null, dead: Batch['dead'] = []): Batch {
  const results = raws.map((r) => masker.maskEdit(r));
  return { feed: 'test', edits: results.map((r) => r.masked), vault: results.flatMap((r) => r.vault), dead, cursor };
}

describe('storeBatch', () => {
  it('stores edits, every referenced vault row, dead letters and the cursor together', async () => {
    const b = batchOf(
      [
        rawEdit(),
        // an IP editor whose network address (from a trusted producer) differs, mentioning a third address
        anonEdit('203.0.113.9', { ip: '198.51.100.7', comment: 'see 192.0.2.44' }),
        rawEdit({ user: '~2026-00001-01', isTemp: true, ip: '2001:db8::5' }),
      ],
      '3',
      [{ source: 'demo', reason: 'field `title` is too long or too large', size: 9000 }],
    );
    expect(b.vault).toHaveLength(4);
    const r = await storeBatch(t.prisma, b);
    expect(r.stored).toHaveLength(3);
    expect(r).toMatchObject({ duplicates: 0, dead: 1 });
    expect(typeof r.stored[0]!.id).toBe('bigint');
    expect(await count('edit')).toBe(3);
    expect(await count('vault_record')).toBe(4);
    expect(await count('dead_letter')).toBe(1);
    expect(await state('test')).toMatchObject({ cursor: '3', eventsTotal: 3, deadTotal: 1 });
  });

  it('skips an edit seen before together with its vault rows, and still moves the cursor', async () => {
    const first = batchOf([anonEdit('203.0.113.10'), rawEdit()], '2');
    await storeBatch(t.prisma, first);
    // the same changes masked again (new vault ids, as after a crash and re-read), plus one new change
    const again = batchOf([anonEdit('203.0.113.10', { sourceId: first.edits[0]!.sourceId }), anonEdit('203.0.113.11')], '4');
    const r = await storeBatch(t.prisma, again);
    expect(r.stored.map((s) => s.sourceId)).toEqual([again.edits[1]!.sourceId]);
    expect(r.duplicates).toBe(1);
    expect(await count('edit')).toBe(3);
    expect(await count('vault_record')).toBe(2); // one per stored IP edit; the duplicate's row was dropped
    const refs = await t.sql('SELECT count(*)::int AS n FROM vault_record v JOIN edit e ON e."vaultId" = v.id');
    expect(refs[0]!.n).toBe(2);
    expect(await state('test')).toMatchObject({ cursor: '4', eventsTotal: 3 });
    // an empty batch that only moves the cursor
    await storeBatch(t.prisma, { feed: 'test', edits: [], vault: [], dead: [], cursor: '9' });
    expect(await state('test')).toMatchObject({ cursor: '9', eventsTotal: 3 });
  });

  it('keeps every value exactly, whatever characters the array literals must escape (Prisma and plain SQL targets)', async () => {
    const nasty = ['a"b', 'back\\slash\\', '{braces},comma', 'NULL', '', ' spaced ', "it's", '\\"', 'ü ✓ 𝄞'];
    const raws = nasty.map((title, i) =>
      rawEdit({
        title,
        comment: i % 3 === 0 ? null : `${nasty[(i + 1) % nasty.length]} summary`,
        tags: i % 2 ? [] : nasty.slice(i, i + 3),
        logType: i === 4 ? 'block' : null,
        logAction: i === 4 ? 'block' : null,
        logParams: i === 4 ? { reason: 'x"y\\z{}', nested: { list: [1, 'NULL', null] } } : null,
        namespace: i,
        sizeOld: i === 5 ? null : 2_147_483_000,
        sizeNew: i === 5 ? null : 2_147_483_647,
        sizeDelta: i === 5 ? null : 647,
        isMinor: i % 2 === 1,
        isPatrolled: i === 1 ? true : i === 2 ? false : null,
        ores: i === 3 ? { damaging: 0.125, goodfaith: 1e-7 } : null,
      }),
    );
    // half through Prisma, half through a plain SQL client (the ingester's hot path)
    const plain = { query: async (text: string, params: unknown[]) => ({ rows: await t.sql(text, params) }) };
    await storeBatch(t.prisma, batchOf(raws.slice(0, 5), '1'));
    await storeBatch(plain as never, batchOf(raws.slice(5), '2'));
    const rows = await t.sql(
      `SELECT title, comment, tags, "logParams", namespace, "sizeOld", "sizeNew", "sizeDelta", "isMinor", "isPatrolled",
              "oresDamaging", "oresGoodfaith" FROM edit ORDER BY namespace`,
    );
    expect(rows).toEqual(
      raws.map((r) => ({
        title: r.title,
        comment: r.comment,
        tags: r.tags,
        logParams: r.logParams,
        namespace: r.namespace,
        sizeOld: r.sizeOld,
        sizeNew: r.sizeNew,
        sizeDelta: r.sizeDelta,
        isMinor: r.isMinor,
        isPatrolled: r.isPatrolled,
        oresDamaging: r.ores?.damaging ?? null,
        oresGoodfaith: r.ores?.goodfaith ?? null,
      })),
    );
  });

  it('stores nothing when any part of the batch fails (one transaction)', async () => {
    await t.sql(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await t.sql('CREATE TRIGGER test_refuse BEFORE INSERT ON feed_state FOR EACH ROW EXECUTE FUNCTION test_refuse()');
    try {
      const b = batchOf([anonEdit('203.0.113.12'), rawEdit()], '2', [{ source: 'demo', reason: 'x', size: 1 }]);
      await expect(storeBatch(t.prisma, b)).rejects.toThrow();
      expect([await count('edit'), await count('vault_record'), await count('dead_letter'), await count('feed_state')]).toEqual([0, 0, 0, 0]);
    } finally {
      await t.sql('DROP TRIGGER test_refuse ON feed_state');
      await t.sql('DROP FUNCTION test_refuse()');
    }
  });
});

describe('runFeed', () => {
  it('replays a real file in batches exactly once: resumed from the cursor, or re-read from the start', async () => {
    // the first 300 lines of the shipped 2015 day
    const lines = zlib.gunzipSync(fs.readFileSync(DEFAULT_REPLAY_FILE)).toString('utf8').split('\n').slice(0, 300);
    const file = path.join(dir, 'day.jsonl');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const opened: (string | null)[] = [];
    const spec = (ignoreCursor = false): FeedSpec => ({
      name: 'replay:test',
      open: (cursor, signal) => {
        opened.push(cursor);
        return replayFile(file, { fromCursor: ignoreCursor ? null : cursor, signal });
      },
    });
    const signal = new AbortController().signal;
    const first = await runFeed(spec(), { prisma: () => t.prisma, masker, batchSize: 40, flushMs: 60_000 }, signal);
    expect(first).toMatchObject({ read: 300, stored: 300, duplicates: 0, dead: 0 });
    const vault = await count('vault_record');
    expect(vault).toBeGreaterThan(0);
    expect(await state('replay:test')).toMatchObject({ cursor: '300', eventsTotal: 300 });

    const resumed = await runFeed(spec(), { prisma: () => t.prisma, masker, batchSize: 40 }, signal);
    expect(resumed).toMatchObject({ read: 0, stored: 0 });
    const reread = await runFeed(spec(true), { prisma: () => t.prisma, masker, batchSize: 64 }, signal);
    expect(reread).toMatchObject({ read: 300, stored: 0, duplicates: 300 });
    expect(opened).toEqual([null, '300', '300']);
    expect([await count('edit'), await count('vault_record')]).toEqual([300, vault]);
  });
});
