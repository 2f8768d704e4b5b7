import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_LOCK_KEY } from '@/lib/ingest/service';
import { createTestDb, type TestDb } from '../helpers/db';
import { exactlyOnce, inputIdentities, prepareKeys, sliceIrcDay, storedKeys, tempDir, type InputIdentities } from '../helpers/ingest';
import { killHard, sleep, spawnChild, type Child } from '../helpers/ingest-proc';

/**
 * Leader election on PostgreSQL (lib/ingest/service.ts): two app instances (child processes calling
 * startIngestion with the same injected replay spec) compete for the advisory lock; exactly one ingests;
 * when it is SIGKILLed the other takes over within seconds and finishes the replay from the stored cursor.
 *
 * PostgreSQL only: the embedded default has one process by construction and no election.
 */
const pgOnly = process.env.TEST_DB === 'postgres';
/** the first 5,000 events of the 2015 day span about five hours: at 1500× the replay lasts about 12 s */
const SLICE = 5000;
const SPEED = '1500';

let t: TestDb;
let dir: string;
let file: string;
let input: InputIdentities;

beforeAll(async () => {
  if (!pgOnly) return;
  t = await createTestDb();
  dir = tempDir('ingest-leader');
  prepareKeys(path.join(dir, 'keys'));
  file = sliceIrcDay(path.join(dir, 'irc-2015-leader.jsonl'), SLICE);
  input = await inputIdentities(file);
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const edits = async () => Number((await t.sql('SELECT count(*)::int AS n FROM edit'))[0]!.n);
const lockHolders = async () =>
  Number(
    (await t.sql(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [INGEST_LOCK_KEY]))[0]!.n,
  );

async function until(what: string, pred: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.runIf(pgOnly)('ingest leader election', () => {
  it('exactly one instance ingests; after SIGKILL the other takes over and every event is stored once', { timeout: 180_000 }, async () => {
    const env = { DATABASE_URL: t.url!, CHILD_KEYS_DIR: path.join(dir, 'keys'), CHILD_REPLAY_FILE: file, CHILD_REPLAY_SPEED: SPEED, CHILD_RETRY_MS: '250' };
    const a = spawnChild('leader', env);
    const b = spawnChild('leader', env);
    const all: Child[] = [a, b];
    try {
      const first = await Promise.race([a.waitFor('leader', 60_000).then(() => a), b.waitFor('leader', 60_000).then(() => b)]);
      const other = first === a ? b : a;
      // both instances are up and competing; only one holds the lock and ingests
      await until('the replay to be under way', async () => (await edits()) >= 300, 60_000);
      await sleep(1000); // several retry rounds of the other instance
      expect(other.lines).not.toContain('leader');
      expect(await lockHolders()).toBe(1);
      expect(other.proc.exitCode).toBeNull();

      const before = await edits();
      expect(before).toBeLessThan(SLICE); // killed mid-replay
      await killHard(first);
      const killedAt = Date.now();
      await other.waitFor('leader', 30_000);
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(15_000); // a behaviour, not a benchmark: retryMs is 250
      await until('the replay to finish', async () => (await edits()) >= SLICE, 120_000);
      await sleep(500); // anything (wrongly) still to come would show as a duplicate or an extra row
      expect(await lockHolders()).toBe(1);
      other.proc.kill('SIGTERM');
      expect((await other.exited).code).toBe(0);
      expect(await lockHolders()).toBe(0);
    } finally {
      for (const c of all) await killHard(c);
    }
    const stored = await storedKeys(t.sql);
    expect(exactlyOnce(stored, input.keys)).toEqual({ missing: 0, extra: 0, duplicates: 0, count: 0 });
    const state = (await t.sql(`SELECT cursor, "eventsTotal"::int AS e FROM feed_state WHERE feed LIKE 'replay:%'`))[0];
    expect(state).toEqual({ cursor: String(SLICE), e: SLICE });
  });
});
