import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db';
import { exactlyOnce, inputIdentities, prepareKeys, sliceIrcDay, storedKeys, tempDir, type InputIdentities } from '../helpers/ingest';
import { killHard, sleep, spawnChild, type Child } from '../helpers/ingest-proc';

/**
 * Acceptance (step 3): a child-process ingester is killed with SIGKILL at random points at least 20 times
 * during a replay of real data; after restarts the stored events equal the input exactly once.
 *
 * PostgreSQL only: the child must reach the test's database from another process. The in-memory PGlite of
 * the pglite project lives inside the test process; an on-disk PGlite directory killed mid-write is a
 * different question (PGlite's own crash durability), not the ingester's exactly-once logic.
 */
const pgOnly = process.env.TEST_DB === 'postgres';
// the whole real day: at ≤ 300 ms of ingest after a run's first commit, 20 runs cannot get through it even on
// a quiet machine (with 12,000 events and 700 ms a fast run finished before its kill)
const SLICE = 39_244;
const KILLS = 20;
const BATCH = 20;

let t: TestDb;
let dir: string;
let file: string;
let input: InputIdentities;

beforeAll(async () => {
  if (!pgOnly) return;
  t = await createTestDb();
  dir = tempDir('ingest-crash');
  prepareKeys(path.join(dir, 'keys'));
  file = sliceIrcDay(path.join(dir, 'irc-2015-slice.jsonl'), SLICE);
  input = await inputIdentities(file);
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const count = async (sql: string) => Number((await t.sql(sql))[0]!.n);

describe.runIf(pgOnly)('ingester crash test (SIGKILL during a replay)', () => {
  it(`killed ${KILLS}+ times at random points, then finished: every event stored exactly once`, { timeout: 600_000 } /* 20 child processes, each starting tsx and opening its database; minutes on a loaded 2-core machine */, async () => {
    expect(input.keys).toHaveLength(SLICE);
    const env = { DATABASE_URL: t.url!, CHILD_KEYS_DIR: path.join(dir, 'keys'), CHILD_REPLAY_FILE: file, CHILD_BATCH_SIZE: String(BATCH) };
    const progress: number[] = [];
    let kills = 0;
    let child: Child | null = null;
    try {
      while (kills < KILLS) {
        child = spawnChild('run', env);
        // kill at a random moment after the first commit of this run (or during start-up, one time in five)
        if (Math.random() < 0.8) await child.waitFor('batch', 60_000);
        await sleep(Math.floor(Math.random() * 300));
        const finished = child.lines.some((l) => l.startsWith('done'));
        await killHard(child);
        const e = await child.exited;
        expect(finished, `run ${kills + 1} finished before it was killed: the slice is too small`).toBe(false);
        expect(e.signal).toBe('SIGKILL');
        kills++;
        progress.push(await count('SELECT count(*)::int AS n FROM edit'));
      }
      // the last run is left alone to finish
      child = spawnChild('run', env);
      const done = await child.waitFor('done', 400_000);
      expect((await child.exited).code).toBe(0);
      const totals = JSON.parse(done.slice('done '.length)) as { stored: number; duplicates: number };
      expect(totals.stored).toBe(SLICE - progress.at(-1)!);
    } finally {
      if (child) await killHard(child);
    }

    // the kills landed mid-way: progress was made between kills and the replay was not over
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(progress.at(-1)!).toBeLessThan(SLICE);
    expect(new Set(progress).size).toBeGreaterThan(KILLS / 2);

    // stored = input, exactly once (and the unique constraint held: one row per identity)
    const stored = await storedKeys(t.sql);
    expect(exactlyOnce(stored, input.keys)).toEqual({ missing: 0, extra: 0, duplicates: 0, count: 0 });
    expect(await count(`SELECT count(DISTINCT (wiki, "sourceId"))::int AS n FROM edit`)).toBe(SLICE);
    // the counters and cursor committed with the edits, so they agree with them
    const state = (await t.sql(`SELECT cursor, "eventsTotal"::int AS e FROM feed_state WHERE feed LIKE 'replay:%'`))[0];
    expect(state).toEqual({ cursor: String(SLICE), e: SLICE });
    // no vault row outlived a rolled-back batch, and every IP edit has its vault row
    const orphanVault = await count(`SELECT count(*)::int AS n FROM vault_record v WHERE NOT EXISTS (SELECT 1 FROM edit e WHERE e."vaultId" = v.id)
      AND NOT EXISTS (SELECT 1 FROM edit e, jsonb_array_elements(COALESCE(e.mentions, '[]'::jsonb)) m WHERE (m->>'vaultId')::uuid = v.id)`);
    expect(orphanVault).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM edit e WHERE e."actorKind" = 'ip' AND NOT EXISTS (SELECT 1 FROM vault_record v WHERE v.id = e."vaultId")`)).toBe(0);
  });
});
