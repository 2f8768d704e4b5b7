import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '@/lib/feed/result';
import type { RawEdit } from '@/lib/feed/types';
import { runFeed, type FeedSpec } from '@/lib/ingest/ingester';
import { BatchWriter } from '@/lib/ingest/resilient';
import type { Batch } from '@/lib/ingest/store';
import type { Sql } from '@/lib/db/sql';
import { createLogger, setLogger } from '@/lib/log';
import type { Masker } from '@/lib/masking/mask';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir, testMasker } from '../helpers/ingest';
import { dumpAllTables, findLeaks } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { countVault, sqlTrigger } from '../helpers/store-checks';

/**
 * Events the database refuses (a data exception raised for one event, a CHECK constraint, a real integer
 * out of range) are dead-lettered with a value-free reason while the rest of the batch is stored and the
 * cursor reaches the end; a bisection cut short (crash, transient error) stays exactly-once; transient
 * errors (serialization failure, a dropped connection) are retried and store everything once.
 */
let t: TestDb;
let dir: string;
let masker: Masker;
let logged = '';

const canary = (i: number) => `198.51.100.${100 + i}`;
const HUGE = 2 ** 40;
const count = async (sql: string, params?: unknown[]) => Number((await t.sql(sql, params))[0]!.n);
const cursorOf = async (feed: string) => (await t.sql('SELECT cursor FROM feed_state WHERE feed = $1', [feed]))[0]?.cursor ?? null;

/** A feed over the given events with a dead letter after the third; the cursor is the item's position. */
function listSpec(name: string, edits: RawEdit[]): FeedSpec {
  return {
    name,
    async *open(cursor) {
      const items: FeedItem[] = edits.map((edit) => ({ kind: 'edit', edit, cursor: null }));
      items.splice(3, 0, { kind: 'dead-letter', deadLetter: { source: 'demo', reason: 'field `x` is invalid', size: 3 }, cursor: null });
      const from = cursor === null ? 0 : Number(cursor);
      for (const [i, item] of items.entries()) if (i >= from) yield { ...item, cursor: String(i + 1) } as FeedItem;
    },
  };
}

function events(prefix: string, n: number, poison: Record<number, Partial<RawEdit>> = {}): RawEdit[] {
  return Array.from({ length: n }, (_, i) => {
    const over = { sourceId: `${prefix}-${i}`, comment: `reverted ${canary(i % 50)}`, ...poison[i] };
    return i % 5 === 0 ? anonEdit(canary(i % 50), over) : rawEdit(over);
  });
}

function batchOf(feed: string, edits: RawEdit[], cursor: string): Batch {
  const b: Batch = { feed, edits: [], vault: [], dead: [{ source: 'demo', reason: 'test', size: 1 }], cursor };
  for (const e of edits) {
    const m = masker.maskEdit(e);
    b.edits.push(m.masked);
    b.vault.push(...m.vault);
  }
  return b;
}

/** the database's own client (pg on PostgreSQL), as the server stores batches (lib/db/sql.ts) */
const plainSql = (): Sql => ({ query: async (text, params) => ({ rows: (await t.sql(text, params)) as never[] }) });
const run = (spec: FeedSpec, batchSize = 100, via: 'prisma' | 'sql' = 'prisma') =>
  runFeed(spec, { prisma: () => t.prisma, sql: via === 'sql' ? plainSql : undefined, masker, batchSize, flushMs: 10_000 }, new AbortController().signal);

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('ingest-refusals');
  masker = testMasker(path.join(dir, 'keys'));
  // a data exception for one identity, naming a column, as a bad value would raise it
  await sqlTrigger(t, 'poison_title', 'edit', `NEW."sourceId" LIKE '%-poison-title'`,
    `RAISE EXCEPTION 'test: refused' USING ERRCODE = '22023', COLUMN = 'title'`);
  await t.sql(`ALTER TABLE edit ADD CONSTRAINT test_refuse_check CHECK ("sourceId" NOT LIKE '%-poison-check')`);
  const prev = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'info';
  setLogger(createLogger(new Writable({ write: (chunk: Buffer, _e, cb) => ((logged += chunk.toString()), cb()) })));
  if (prev === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = prev;
});
afterAll(async () => {
  setLogger(createLogger());
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('events the database refuses', () => {
  it.each([
    ['one batch', 100, 'prisma'],
    ['batches of 7', 7, 'prisma'],
    ['batches of 9, stored through plain SQL', 9, 'sql'],
  ] as const)('are dead-lettered with a reason, the rest stored, the cursor at the end (%s)', async (_name, batchSize, via) => {
    const p = `refuse${batchSize}`;
    const list = events(p, 40);
    list[5] = anonEdit(canary(5), { sourceId: `${p}-poison-title` });
    list[17] = rawEdit({ sourceId: `${p}-poison-check` });
    list[30] = anonEdit(canary(30), { sourceId: `${p}-poison-range`, sizeNew: HUGE, sizeOld: 1, sizeDelta: null });
    const spec = listSpec(`refusals-${batchSize}`, list);
    const vaultBefore = await t.sql('SELECT count(*)::int AS n FROM vault_record');
    expect(await run(spec, batchSize, via)).toEqual({ read: 41, stored: 37, duplicates: 0, dead: 4 });
    expect(await count(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" LIKE $1`, [`${p}-%`])).toBe(37);
    expect(await count(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" LIKE $1`, [`${p}-poison%`])).toBe(0);
    const reasons = (await t.sql('SELECT reason, size FROM dead_letter WHERE feed = $1 ORDER BY reason', [spec.name])) as { reason: string; size: number }[];
    expect(reasons.map((r) => r.reason)).toEqual([
      'database refused the event: SQLSTATE 22003 (class 22 data exception)',
      'database refused the event: SQLSTATE 22023 (class 22 data exception), field `title`',
      'database refused the event: SQLSTATE 23514 (class 23 integrity constraint violation), field `test_refuse_check`',
      'field `x` is invalid',
    ]);
    expect(reasons.every((r) => r.size > 0)).toBe(true);
    expect(await cursorOf(spec.name)).toBe('41');
    const state = (await t.sql('SELECT "eventsTotal"::int AS e, "deadTotal"::int AS d FROM feed_state WHERE feed = $1', [spec.name]))[0];
    expect(state).toEqual({ e: 37, d: 4 });
    // the refused events' vault rows are not stored: every vault row belongs to a stored edit
    const v = await countVault(t);
    expect(v.rows).toBe(v.referenced);
    expect(v.missing).toBe(0);
    expect(v.rows).toBeGreaterThan(Number(vaultBefore[0]!.n));
    // the feed carries on: from the stored cursor there is nothing left
    expect(await run(spec, batchSize, via)).toEqual({ read: 0, stored: 0, duplicates: 0, dead: 0 });
  });

  it('neither the tables nor the log hold a refused value or a raw IP', async () => {
    const ips = Array.from({ length: 50 }, (_, i) => canary(i));
    expect(findLeaks((await dumpAllTables(t.sql)).text, ips)).toEqual([]);
    expect(logged).toContain('"sqlstate":"22003"');
    expect(logged).toContain('dead-lettered');
    expect(findLeaks(logged, ips)).toEqual([]);
    expect(logged).not.toContain(String(HUGE));
    expect(logged).not.toContain('poison');
  });

  it.each(['replays the batch', 'retries with the same writer'] as const)('a bisection cut short stores nothing twice when the feed %s', async (how) => {
    const p = how.startsWith('replays') ? 'cut1' : 'cut2';
    const feed = `cut-short-${p}`;
    const list = events(p, 12);
    list[7] = anonEdit(canary(7), { sourceId: `${p}-poison-title` });
    await new BatchWriter({ feed, edits: [], vault: [], dead: [], cursor: '0' }).store(t.prisma);
    // the last step (dead letters with the cursor) fails with a serialization failure: the halves are committed
    await sqlTrigger(t, 'dead_fail', 'dead_letter', 'true', `RAISE EXCEPTION 'test: busy' USING ERRCODE = '40001'`);
    const first = new BatchWriter(batchOf(feed, list, '12'));
    await expect(first.store(t.prisma)).rejects.toThrow();
    await t.sql('DROP TRIGGER dead_fail ON dead_letter');
    const edits = () => count(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" LIKE $1`, [`${p}-%`]);
    expect(await edits()).toBe(11);
    expect(await cursorOf(feed)).toBe('0');
    expect(await count('SELECT count(*)::int AS n FROM dead_letter WHERE feed = $1', [feed])).toBe(0);
    if (how.startsWith('replays')) {
      // a crash: the feed resumes from the old cursor and masks the batch anew (new vault ids)
      const r = await new BatchWriter(batchOf(feed, list, '12')).store(t.prisma);
      expect(r).toMatchObject({ stored: [], duplicates: 11, dead: 2, refused: 1 });
    } else {
      // the writer resumes where it stopped: its stored edits are counted (and published) once
      const r = await first.store(t.prisma);
      expect(r).toMatchObject({ duplicates: 0, dead: 2, refused: 1 });
      expect(r.stored).toHaveLength(11);
    }
    expect(await edits()).toBe(11);
    expect(await count('SELECT count(*)::int AS n FROM dead_letter WHERE feed = $1', [feed])).toBe(2);
    expect(await cursorOf(feed)).toBe('12');
    const state = (await t.sql('SELECT "eventsTotal"::int AS e, "deadTotal"::int AS d FROM feed_state WHERE feed = $1', [feed]))[0];
    expect(state).toEqual({ e: 11, d: 2 });
    const v = await countVault(t);
    expect(v.rows).toBe(v.referenced);
    expect(v.missing).toBe(0);
  });
});

describe('transient failures', () => {
  it('a serialization failure on the first attempts is retried and everything stored once', async () => {
    await t.sql('CREATE SEQUENCE test_busy_n');
    await sqlTrigger(t, 'busy', 'edit', 'true', `IF nextval('test_busy_n') <= 2 THEN RAISE EXCEPTION 'test: busy' USING ERRCODE = '40001'; END IF`, 'STATEMENT');
    const spec = listSpec('transient', events('busy', 30));
    expect(await run(spec)).toEqual({ read: 31, stored: 30, duplicates: 0, dead: 1 });
    expect(await count(`SELECT last_value::int AS n FROM test_busy_n`)).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" LIKE 'busy-%'`)).toBe(30);
    expect(await count('SELECT count(*)::int AS n FROM dead_letter WHERE feed = $1', [spec.name])).toBe(1); // no bisection
    expect(await cursorOf(spec.name)).toBe('31');
    await t.sql('DROP TRIGGER busy ON edit');
    expect(logged).toContain('"kind":"transient","sqlstate":"40001"');
  });

  it('a dropped connection is retried (PostgreSQL: the backend is terminated mid-transaction)', async (ctx) => {
    if (t.kind !== 'postgres') return ctx.skip();
    await t.sql('CREATE SEQUENCE test_drop_n');
    await sqlTrigger(t, 'drop_conn', 'edit', 'true', `IF nextval('test_drop_n') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF`, 'STATEMENT');
    const spec = listSpec('dropped', events('drop', 20));
    expect(await run(spec)).toEqual({ read: 21, stored: 20, duplicates: 0, dead: 1 });
    expect(await count(`SELECT last_value::int AS n FROM test_drop_n`)).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" LIKE 'drop-%'`)).toBe(20);
    expect(await cursorOf(spec.name)).toBe('21');
    await t.sql('DROP TRIGGER drop_conn ON edit');
    expect(logged).not.toContain('"kind":"other"'); // classified as transient, not merely retried
  });
});
