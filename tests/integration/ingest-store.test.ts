import fs from 'node:fs';
import pg from 'pg';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventStreamsLine } from '@/lib/feed/parse-eventstreams';
import { runFeed } from '@/lib/ingest/ingester';
import { editRow, storeBatch, type Batch } from '@/lib/ingest/store';
import type { RawEdit } from '@/lib/feed/types';
import { KeyRing } from '@/lib/masking/keyring';
import type { Masker } from '@/lib/masking/mask';
import { readVaultRecord } from '@/lib/masking/vault';
import { createTestDb, type TestDb } from '../helpers/db';
import { ES_SAMPLE, exactlyOnce, fileLines, inputIdentities, replaySpec, sliceIrcDay, storedKeys, tempDir, testMasker, type InputIdentities } from '../helpers/ingest';
import { dumpAllTables, findLeaks } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { countVault, sqlTrigger } from '../helpers/store-checks';

/**
 * storeBatch / runFeed against a real database: a replay of real 2015 data is stored exactly once, re-runs
 * store nothing new, the cursor commits with the edits (a trigger makes the transaction fail mid-way), and
 * what is stored is masked with its vault rows.
 */
const SLICE = 1500;
let t: TestDb;
let dir: string;
let file: string;
let input: InputIdentities;
let masker: Masker;

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
const cursorOf = async (feed: string) => (await t.sql('SELECT cursor FROM feed_state WHERE feed = $1', [feed]))[0]?.cursor ?? null;
const opts = (batchSize = 100) => ({ prisma: () => t.prisma, masker, batchSize, flushMs: 10_000 });
const run = (spec: ReturnType<typeof replaySpec>, batchSize?: number) => runFeed(spec, opts(batchSize), new AbortController().signal);

/** One masked batch of ES sample events plus a dead letter, under a feed name of its own. */
function esBatch(feed: string, from: number, to: number): Batch {
  const b: Batch = { feed, edits: [], vault: [], dead: [{ source: 'eventstreams', reason: 'test', size: 1 }], cursor: String(to) };
  for (const line of fileLines(ES_SAMPLE).slice(from, to)) {
    const r = parseEventStreamsLine(line);
    if (!r.ok) throw new Error(r.reason);
    const m = masker.maskEdit(r.edit);
    b.edits.push(m.masked);
    b.vault.push(...m.vault);
  }
  return b;
}

/** A masked batch of the given events (no dead letter, no cursor). */
function batchOf(list: RawEdit[]): Batch {
  const b: Batch = { feed: 'vault-check', edits: [], vault: [], dead: [], cursor: null };
  for (const e of list) {
    const m = masker.maskEdit(e);
    b.edits.push(m.masked);
    b.vault.push(...m.vault);
  }
  return b;
}

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('ingest-store');
  masker = testMasker(path.join(dir, 'keys'));
  file = sliceIrcDay(path.join(dir, 'irc-slice.jsonl'), SLICE);
  input = await inputIdentities(file);
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('ingest store', () => {
  it('runFeed stores every event of a real replay exactly once, and re-runs store no duplicates', async () => {
    expect(input.keys).toHaveLength(SLICE);
    expect(new Set(input.keys).size).toBe(SLICE); // the parser's identities are unique over the slice
    const spec = replaySpec(file);
    const first = await run(spec, 97);
    expect(first).toEqual({ read: SLICE, stored: SLICE, duplicates: 0, dead: 0 });
    expect(exactlyOnce(await storedKeys(t.sql), input.keys)).toEqual({ missing: 0, extra: 0, duplicates: 0, count: 0 });
    expect(await cursorOf(spec.name)).toBe(String(SLICE));
    const state = (await t.sql('SELECT "eventsTotal"::int AS e, "deadTotal"::int AS d FROM feed_state WHERE feed = $1', [spec.name]))[0];
    expect(state).toEqual({ e: SLICE, d: 0 });

    // the same feed again from its stored cursor: nothing left to read
    expect(await run(spec)).toEqual({ read: 0, stored: 0, duplicates: 0, dead: 0 });
    // from an earlier cursor (a crash between commit and cursor read would look like this): all duplicates
    await t.sql('UPDATE feed_state SET cursor = $2 WHERE feed = $1', [spec.name, '600']);
    expect(await run(spec, 50)).toEqual({ read: SLICE - 600, stored: 0, duplicates: SLICE - 600, dead: 0 });
    // from the very start under another feed name (the same events from a second feed)
    const vaultBefore = await count('vault_record');
    expect(await run(replaySpec(file, 'second-feed'), 500)).toMatchObject({ stored: 0, duplicates: SLICE });
    expect(await count('edit')).toBe(SLICE);
    expect(await count('vault_record')).toBe(vaultBefore); // skipped edits leave no orphan vault rows
    expect(await cursorOf(spec.name)).toBe(String(SLICE));
  });

  it('runFeed lets the event loop turn while it reads a source whose items are all ready at once', async () => {
    // a batch in flight reaches the database socket only between turns: a source that never waits (buffered
    // replay data) must not hold the loop for a whole batch
    const edits = Array.from({ length: 600 }, () => rawEdit());
    let read = 0;
    let readWhenTurned = -1;
    const spec = {
      name: 'turns',
      async *open() {
        for (const edit of edits) {
          if (read === 0) setImmediate(() => (readWhenTurned = read));
          read++;
          yield { kind: 'edit' as const, edit, cursor: String(read) };
        }
      },
    };
    const totals = await runFeed(spec, { ...opts(10_000), flushMs: 60_000 }, new AbortController().signal);
    expect(totals.stored).toBe(600);
    expect(readWhenTurned).toBeGreaterThan(0);
    expect(readWhenTurned).toBeLessThanOrEqual(100);
  });

  it('storeBatch: the same batch twice stores it once', async () => {
    const b = esBatch('es-twice', 0, 20);
    const r1 = await storeBatch(t.prisma, b);
    expect(r1).toMatchObject({ duplicates: 0, dead: 1 });
    expect(r1.stored).toHaveLength(20);
    const [edits, vault] = [await count('edit'), await count('vault_record')];
    const r2 = await storeBatch(t.prisma, b);
    expect(r2).toEqual({ stored: [], duplicates: 20, dead: 1 });
    expect([await count('edit'), await count('vault_record')]).toEqual([edits, vault]);
  });

  describe('an edit the insert skips leaves no vault rows behind', () => {
    const vaultOk = async () => {
      const v = await countVault(t);
      expect(v.missing).toBe(0);
      expect(v.rows).toBe(v.referenced);
    };

    it('the same event twice in one batch is stored once, with one copy of its vault rows', async () => {
      // each copy is masked on its own, so each has vault rows of its own
      const b = batchOf([anonEdit('203.0.113.5', { sourceId: 'dup-1' }), anonEdit('203.0.113.6', { sourceId: 'dup-2' }), anonEdit('203.0.113.5', { sourceId: 'dup-1' })]);
      expect(new Set(b.vault.map((v) => v.id)).size).toBe(3);
      const r = await storeBatch(t.prisma, b);
      expect(r.stored.map((s) => s.sourceId)).toEqual(['dup-1', 'dup-2']);
      expect(r.duplicates).toBe(1);
      await vaultOk();
    });

    it('an edit a concurrent writer inserted first is skipped with its vault rows (writer inside the insert)', async () => {
      // a BEFORE INSERT trigger inserts the same identity just ahead of the batch's row, as a concurrent
      // writer committing after a duplicate check but before the insert would (both drivers)
      await sqlTrigger(t, 'race', 'edit', `NEW."sourceId" LIKE 'race-%'`,
        `IF pg_trigger_depth() = 1 THEN
           INSERT INTO edit SELECT (r).* FROM (SELECT NEW AS r) x;
           UPDATE edit SET "vaultId" = NULL, mentions = NULL WHERE id = NEW.id; -- the other writer's row refers to no vault row of ours
           NEW.id := nextval(pg_get_serial_sequence('edit', 'id'));
         END IF`);
      const b = batchOf([anonEdit('203.0.113.9', { sourceId: 'race-1' }), anonEdit('203.0.113.10', { sourceId: 'norace-1' })]);
      const r = await storeBatch(t.prisma, b);
      await t.sql('DROP TRIGGER race ON edit');
      expect(r.stored.map((s) => s.sourceId)).toEqual(['norace-1']);
      expect(r.duplicates).toBe(1);
      expect(await t.sql(`SELECT count(*)::int AS n FROM edit WHERE "sourceId" = 'race-1'`)).toEqual([{ n: 1 }]);
      await vaultOk();
    });

    it('PostgreSQL: a real concurrent writer holding the identity uncommitted', async (ctx) => {
      if (t.kind !== 'postgres') return ctx.skip();
      const other = new pg.Client({ connectionString: t.url });
      await other.connect();
      try {
        const mine = batchOf([anonEdit('203.0.113.11', { sourceId: 'conc-1' }), anonEdit('203.0.113.12', { sourceId: 'conc-2' })]);
        const theirs = batchOf([anonEdit('203.0.113.11', { sourceId: 'conc-1' })]);
        const row = editRow(theirs.edits[0]!);
        const cols = Object.keys(row).map((c) => `"${c}"`).join(', ');
        await other.query('BEGIN');
        await other.query(`INSERT INTO edit (${cols}) SELECT ${cols} FROM json_populate_record(NULL::edit, $1::json)`, [JSON.stringify(row)]);
        const v0 = theirs.vault[0]!;
        await other.query('INSERT INTO vault_record (id, day, nonce, ciphertext) VALUES ($1, $2, $3, $4)', [v0.id, v0.day, v0.nonce, v0.ciphertext]);
        const pending = storeBatch(t.prisma, mine); // waits on the uncommitted identity
        await new Promise((res) => setTimeout(res, 300));
        await other.query('COMMIT');
        const r = await pending;
        expect(r.stored.map((s) => s.sourceId)).toEqual(['conc-2']);
        await vaultOk();
      } finally {
        await other.end();
      }
    });
  });

  describe('the cursor and the edits commit together', () => {
    const fail = async (on: 'edit' | 'feed_state', when: string) => {
      await t.sql(`CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('test_attempts_n'); IF (SELECT armed FROM test_attempts) THEN RAISE EXCEPTION 'test: injected failure'; END IF; RETURN NEW; END $$`);
      await t.sql(`CREATE TRIGGER test_fail BEFORE INSERT OR UPDATE ON ${on} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION test_fail()`);
    };
    beforeAll(async () => {
      // a sequence counts the trigger's firings: nextval survives the rollback the trigger causes
      await t.sql('CREATE SEQUENCE test_attempts_n');
      await t.sql('CREATE TABLE test_attempts (armed bool NOT NULL)');
      await t.sql('INSERT INTO test_attempts VALUES (true)');
    });
    const attempts = async () => {
      const r = (await t.sql('SELECT last_value::int AS v, is_called AS c FROM test_attempts_n'))[0]!;
      return r.c ? Number(r.v) : 0;
    };
    const reset = async () => {
      await t.sql('DROP TRIGGER IF EXISTS test_fail ON edit');
      await t.sql('DROP TRIGGER IF EXISTS test_fail ON feed_state');
      await t.sql('UPDATE test_attempts SET armed = true');
      await t.sql(`SELECT setval('test_attempts_n', 1, false)`);
    };

    it.each([
      ['the cursor upsert fails', 'feed_state', 'true'],
      ['the 11th edit insert fails', 'edit', `NEW.title = 'FAIL_HERE'`],
    ] as const)('%s: nothing of the batch is stored and the cursor does not move', async (_name, on, when) => {
      await reset();
      const feed = `atomic-${on}`;
      await storeBatch(t.prisma, { ...esBatch(feed, 20, 25), cursor: '25' });
      const before = { edit: await count('edit'), vault: await count('vault_record'), dead: await count('dead_letter') };
      const b = esBatch(feed, 30, 50);
      b.edits[10]!.title = 'FAIL_HERE';
      await fail(on, when);
      await expect(storeBatch(t.prisma, b)).rejects.toThrow(/injected failure/);
      expect(await attempts()).toBeGreaterThan(0); // the trigger did fire
      expect({ edit: await count('edit'), vault: await count('vault_record'), dead: await count('dead_letter') }).toEqual(before);
      expect(await cursorOf(feed)).toBe('25');
      await reset();
    });

    it('runFeed keeps the failed batch, retries, and stores it once when the database recovers', async () => {
      await reset();
      const spec = replaySpec(file, 'retry-feed');
      await t.sql('DELETE FROM edit');
      await fail('feed_state', 'true');
      const done = runFeed(spec, opts(400), new AbortController().signal);
      const deadline = Date.now() + 20_000;
      while (await attempts() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await count('edit')).toBe(0);
      expect(await cursorOf(spec.name)).toBeNull();
      await t.sql('UPDATE test_attempts SET armed = false');
      expect(await done).toEqual({ read: SLICE, stored: SLICE, duplicates: 0, dead: 0 });
      expect(exactlyOnce(await storedKeys(t.sql), input.keys)).toEqual({ missing: 0, extra: 0, duplicates: 0, count: 0 });
      expect(await cursorOf(spec.name)).toBe(String(SLICE));
      await reset();
    });
  });

  it('events lacking sizes and comments are stored with NULLs', async () => {
    const es = JSON.parse(fileLines(ES_SAMPLE)[60]!) as Record<string, unknown>;
    const meta = es.meta as Record<string, unknown>;
    const bare = { ...es, meta: { ...meta, id: 'no-sizes-1' }, length: undefined, comment: undefined, parsedcomment: undefined };
    const half = { ...es, meta: { ...meta, id: 'no-sizes-2' }, length: { old: null, new: 120 } };
    const f = path.join(dir, 'nulls.jsonl');
    fs.writeFileSync(f, `${JSON.stringify(bare)}\n${JSON.stringify(half)}\n`);
    expect(await run(replaySpec(f))).toMatchObject({ stored: 2, dead: 0 });
    const rows = await t.sql(`SELECT "sourceId", "sizeOld", "sizeNew", "sizeDelta", comment FROM edit WHERE "sourceId" LIKE 'no-sizes-%' ORDER BY 1`);
    expect(rows).toEqual([
      { sourceId: 'no-sizes-1', sizeOld: null, sizeNew: null, sizeDelta: null, comment: null },
      { sourceId: 'no-sizes-2', sizeOld: null, sizeNew: 120, sizeDelta: null, comment: es.comment },
    ]);
    // the 2015 IRC feed has a delta but no sizes
    const irc = await t.sql(`SELECT count(*)::int AS n FROM edit WHERE source = 'irc-2015' AND ("sizeOld" IS NOT NULL OR "sizeNew" IS NOT NULL)`);
    expect(irc[0]!.n).toBe(0);
    expect((await t.sql(`SELECT count(*)::int AS n FROM edit WHERE source = 'irc-2015' AND "sizeDelta" IS NOT NULL`))[0]!.n).toBeGreaterThan(0);
  });

  it('IP edits have vault rows holding their address, and no edit row holds a raw IP', async () => {
    expect(input.anonIps.length).toBeGreaterThan(50);
    const ipRows = await t.sql(`SELECT "actorName", "vaultId", "ipKey" FROM edit WHERE source = 'irc-2015' AND "actorKind" = 'ip'`);
    expect(ipRows.length).toBeGreaterThanOrEqual(input.anonIps.length);
    const orphans = await t.sql(`SELECT count(*)::int AS n FROM edit e LEFT JOIN vault_record v ON v.id = e."vaultId"
      WHERE e."actorKind" = 'ip' AND v.id IS NULL`);
    expect(orphans[0]!.n).toBe(0);
    // the vault gives back the very addresses of the input (decrypted with the key store)
    const keys = new KeyRing(path.join(dir, 'keys'));
    const revealed = new Set<string>();
    for (const row of ipRows.slice(0, 200)) revealed.add((await t.prisma.$transaction((tx) => readVaultRecord(tx, keys, String(row.vaultId)))).ip);
    for (const ip of revealed) expect(input.anonIps.map((a) => a.toLowerCase())).toContain(ip.toLowerCase());
    // the whole database, vault ciphertext aside, holds none of the input's addresses
    const dump = await dumpAllTables(t.sql);
    expect(dump.text).toContain(String(ipRows[0]!.actorName));
    expect(findLeaks(dump.text, input.anonIps)).toEqual([]);
  });
});
