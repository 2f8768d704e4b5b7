import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '@/lib/db/embedded';
import { createTestDb, type TestDb } from '../helpers/db';
import { crashProblems } from '../helpers/crash-check';
import { inputIdentities, prepareKeys, sliceIrcDay, tempDir, type InputIdentities } from '../helpers/ingest';
import { killHard, sleep, spawnChild, type Child } from '../helpers/ingest-proc';

/**
 * Proof suite (step 11, part 5; first written for step 3 on PostgreSQL): a child-process ingester is killed
 * with SIGKILL at random points at least PROOF_CRASH_KILLS (default 20) times during a replay of the real
 * 2015 day; after the last run finishes, the stored events equal the input exactly once (crash-check.ts:
 * no gap, no duplicate, cursor and counter committed with the edits, no orphan vault row).
 *
 * Runs on both drivers (`npm run proof:crash`, projects proof-postgres and proof-pglite):
 * - PostgreSQL: the child connects to a fresh database on TEST_DATABASE_URL's server;
 * - PGlite: the child opens an on-disk data directory as `npm start` does (lock, migrations, its Unix
 *   socket, the ingester on `pg` through it), so each kill also leaves PGlite to recover its files and the
 *   data-directory lock to be taken over from a dead owner.
 */
const driver = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
// the whole real day: at ≤ 300 ms of ingest after a run's first commit, 20 runs cannot get through it even on
// a quiet machine (with 12,000 events and 700 ms a fast run finished before its kill)
const SLICE = 39_244;
const KILLS = Math.max(1, Number(process.env.PROOF_CRASH_KILLS ?? 20));
const BATCH = 20;

let t: TestDb | undefined;
let dir: string;
let file: string;
let input: InputIdentities;
let env: Record<string, string>;

beforeAll(async () => {
  dir = tempDir(`proof-crash-${driver}`);
  prepareKeys(path.join(dir, 'keys'));
  file = sliceIrcDay(path.join(dir, 'irc-2015-day.jsonl'), SLICE);
  input = await inputIdentities(file);
  const common = { CHILD_KEYS_DIR: path.join(dir, 'keys'), CHILD_REPLAY_FILE: file, CHILD_BATCH_SIZE: String(BATCH) };
  if (driver === 'postgres') {
    t = await createTestDb();
    env = { ...common, DATABASE_URL: t.url! };
  } else env = { ...common, CHILD_DATA_DIR: path.join(dir, 'data') };
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Query the database the children wrote: PostgreSQL directly; PGlite by opening its directory (no child runs). */
async function withSql<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (t) return fn(t.sql);
  const embedded = await openEmbedded(env.CHILD_DATA_DIR!, 'proof-crash-check');
  try {
    return await fn(async (text, params) => (await embedded.pglite.query<Record<string, unknown>>(text, params as never[])).rows);
  } finally {
    await embedded.close();
  }
}

describe(`ingester crash proof on ${driver} (SIGKILL during a real-data replay)`, () => {
  it(`killed ${KILLS} times at random points, then finished: every event stored exactly once`, { timeout: 1_200_000 } /* 21 child processes, each starting tsx and opening its database; minutes on a loaded 2-core machine */, async () => {
    expect(input.keys).toHaveLength(SLICE);
    const batchesPerRun: number[] = [];
    let child: Child | null = null;
    try {
      while (batchesPerRun.length < KILLS) {
        child = spawnChild('run', env);
        // a random moment after the first commit of this run, or (one time in five) during start-up:
        // opening the database, migrating, the replay's first pass
        if (Math.random() < 0.8) {
          // generous: the first run creates the PGlite cluster and applies every migration; on the loaded 2-core VM
          // that once took over two minutes (the error then names the child's last progress and log lines)
          await child.waitFor('batch', 600_000);
          await sleep(Math.floor(Math.random() * 300));
        } else await sleep(Math.floor(Math.random() * 2500));
        const finished = child.lines.some((l) => l.startsWith('done'));
        await killHard(child);
        const e = await child.exited;
        expect(finished, `run ${batchesPerRun.length + 1} finished before it was killed: the slice is too small`).toBe(false);
        expect(e.signal, `run ${batchesPerRun.length + 1} ended by itself: ${child.stderr()}`).toBe('SIGKILL');
        batchesPerRun.push(child.lines.filter((l) => l.startsWith('batch')).length);
      }
      // the last run is left alone to finish
      child = spawnChild('run', env);
      await child.waitFor('done', 600_000);
      expect((await child.exited).code).toBe(0);
    } finally {
      if (child) await killHard(child);
    }

    // the kills landed mid-way: most runs committed something before they were killed
    expect(batchesPerRun.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.floor(KILLS / 2));
    const problems = await withSql((sql) => crashProblems(sql, { keys: input.keys, feed: `replay:${path.basename(file)}`, cursor: String(SLICE) }));
    expect(problems).toEqual([]);
  });
});
