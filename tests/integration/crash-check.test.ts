import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '@/lib/feed/result';
import { runFeed, type FeedSpec } from '@/lib/ingest/ingester';
import type { Masker } from '@/lib/masking/mask';
import { createTestDb, type TestDb } from '../helpers/db';
import { crashProblems, type CrashExpectation } from '../helpers/crash-check';
import { inputIdentities, replaySpec, sliceIrcDay, tempDir, testMasker } from '../helpers/ingest';

/**
 * The crash proof's checker (tests/proof/ingest-crash.test.ts) against planted faults: a replay stopped
 * and resumed correctly passes it; an ingester that skips on resume, one that re-stores what it stored
 * before under a new identity, a store without its uniqueness, a cursor committed apart from its edits and
 * a vault row left behind each make it fail, with the fault named.
 */
const LINES = 240;
let t: TestDb;
let dir: string;
let masker: Masker;
let file: string;
let want: CrashExpectation;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('crash-check');
  masker = testMasker(path.join(dir, 'keys'));
  file = sliceIrcDay(path.join(dir, 'irc.jsonl'), 2000 + LINES, 2000);
  const input = await inputIdentities(file);
  want = { keys: input.keys, feed: `replay:${path.basename(file)}`, cursor: String(LINES) };
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A spec that "crashes" after `stopAfter` items of this run (the run ends there; what was read is flushed). */
function stopping(spec: FeedSpec, stopAfter: number, alter?: (items: AsyncIterable<FeedItem>, cursor: string | null) => AsyncIterable<FeedItem>): FeedSpec {
  return {
    name: spec.name,
    async *open(cursor, signal) {
      let n = 0;
      for await (const item of alter ? alter(spec.open(cursor, signal), cursor) : spec.open(cursor, signal)) {
        if (n++ >= stopAfter) return;
        yield item;
      }
    },
  };
}

async function ingestInRuns(runs: number[], alter?: Parameters<typeof stopping>[2]) {
  await t.sql('TRUNCATE edit, vault_record, dead_letter, feed_state, cluster CASCADE');
  for (const n of runs) await runFeed(stopping(replaySpec(file), n, alter), { prisma: () => t.prisma, masker, batchSize: 16 }, new AbortController().signal);
}

describe('the crash proof checker', () => {
  it('passes a replay stopped three times and resumed from its cursor', async () => {
    await ingestInRuns([50, 77, 13, Infinity]);
    expect(await crashProblems(t.sql, want)).toEqual([]);
  });

  it('finds the gap left by an ingester that skips items on resume', async () => {
    const skipOnResume = async function* (items: AsyncIterable<FeedItem>, cursor: string | null) {
      let n = 0;
      for await (const item of items) if (!cursor || n++ >= 3) yield item;
    };
    await ingestInRuns([60, 60, Infinity], skipOnResume);
    expect(await crashProblems(t.sql, want)).toEqual(['6 input event(s) missing (gap)']);
  });

  it('finds what a non-idempotent ingester stores twice: restarted from scratch under new identities', async () => {
    let run = 0;
    const unstable = async function* (items: AsyncIterable<FeedItem>) {
      run++;
      for await (const item of items) yield item.kind === 'edit' ? { ...item, edit: { ...item.edit, sourceId: `${item.edit.sourceId}#${run}` } } : item;
    };
    await ingestInRuns([40, Infinity], unstable);
    const problems = await crashProblems(t.sql, want);
    expect(problems).toContain(`${want.keys.length} input event(s) missing (gap)`);
    expect(problems.some((p) => /stored event\(s\) not in the input/.test(p))).toBe(true);
  });

  it('finds duplicate rows of one event (a store without its uniqueness), a cursor apart from its edits and orphan vault rows', async () => {
    await ingestInRuns([100, Infinity]);
    expect(await crashProblems(t.sql, want)).toEqual([]);
    await t.sql('DROP INDEX "edit_wiki_sourceId_key"');
    const cols = (await t.sql(`SELECT string_agg(quote_ident(column_name), ', ') AS c FROM information_schema.columns WHERE table_name = 'edit' AND column_name <> 'id'`))[0]!.c as string;
    await t.sql(`INSERT INTO edit (${cols}) SELECT ${cols} FROM edit ORDER BY id LIMIT 7`);
    const n = want.keys.length;
    expect(await crashProblems(t.sql, want)).toEqual(['7 duplicate row(s) of the same event', `eventsTotal ${n} disagrees with ${n + 7} stored edits`]);
    await t.sql('TRUNCATE edit, vault_record CASCADE');
    await t.sql('CREATE UNIQUE INDEX "edit_wiki_sourceId_key" ON edit (wiki, "sourceId")');

    await ingestInRuns([Infinity]);
    await t.sql(`UPDATE feed_state SET cursor = '200' WHERE feed = $1`, [want.feed]);
    expect(await crashProblems(t.sql, want)).toEqual([`stored cursor 200, expected ${LINES}`]);

    await ingestInRuns([Infinity]);
    const ipEdit = (await t.sql(`SELECT id FROM edit WHERE "actorKind" = 'ip' ORDER BY id LIMIT 1`))[0]!.id;
    await t.sql('DELETE FROM edit WHERE id = $1', [ipEdit]);
    await t.sql(`UPDATE feed_state SET "eventsTotal" = "eventsTotal" - 1 WHERE feed = $1`, [want.feed]);
    expect(await crashProblems(t.sql, want)).toEqual(['1 input event(s) missing (gap)', '1 vault row(s) without their edit']);
  });
});
