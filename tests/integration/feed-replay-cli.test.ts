import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prismaForPglite } from '@/lib/db/client';
import { openEmbedded } from '@/lib/db/embedded';
import { deployMigrations } from '@/lib/db/migrate';
import { runCli, type CliResult } from '../helpers/cli';
import { createTestDb, type TestDb } from '../helpers/db';
import { findLeaks } from '../helpers/leaks';

/**
 * `npm run feed:replay` as a user runs it: a child process on PostgreSQL (DATABASE_URL) or on an embedded
 * data directory with no server running (the tool locks and opens it). Counts in the summary and in the
 * database, exactly-once on a second run, clear errors with exit code 2 for bad files and arguments.
 */
const embedded = process.env.TEST_DB !== 'postgres';
const CANARY = '203.0.113.88';
const SAMPLE = path.resolve('fixtures/realdata/eventstreams-enwiki-2023-07-29-sample100.jsonl');
let env: Record<string, string | undefined>;
let pgdb: TestDb | undefined;
let tmp = '';
let dataDir = '';
let file = '';

async function query(sql: string): Promise<Record<string, unknown>[]> {
  if (pgdb) return pgdb.sql(sql);
  const e = await openEmbedded(dataDir, 'test');
  try {
    return (await e.pglite.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await e.close();
  }
}

const replay = (args: string[]): Promise<CliResult> => runCli('feed-replay.ts', args, env);

function summary(r: CliResult) {
  const n = (label: string) => Number(new RegExp(`${label}:\\s+([\\d,]+)`).exec(r.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
  return { read: n('events read'), stored: n('stored'), duplicates: n('duplicates'), dead: n('dead-lettered') };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-replay-'));
  // 100 real EventStreams events, one anonymous edit naming a canary IP, and two broken lines
  const anon = JSON.parse(fs.readFileSync(SAMPLE, 'utf8').split('\n')[0]!) as Record<string, unknown> & { meta: Record<string, unknown> };
  anon.meta = { ...anon.meta, id: 'canary-anon-0001' };
  Object.assign(anon, { user: CANARY, title: `User talk:${CANARY}`, comment: `reverted ${CANARY}` });
  const lines = [...fs.readFileSync(SAMPLE, 'utf8').trim().split('\n'), JSON.stringify(anon), '{"meta": {"id": "x"}, "type": ', '{"meta":{"id":"y"},"type":"edit"}'];
  file = path.join(tmp, 'sample.jsonl');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(tmp, 'sample-copy.jsonl.gz'), zlib.gzipSync(fs.readFileSync(file)));
  fs.writeFileSync(path.join(tmp, 'notes.txt'), 'not a feed\n');
  const keys = { MASKPATROL_KEYS_DIR: path.join(tmp, 'keys') };
  if (embedded) {
    dataDir = path.join(tmp, 'data');
    const e = await openEmbedded(dataDir, 'test');
    await deployMigrations(new PrismaPGlite(e.pglite));
    await prismaForPglite(e.pglite).$disconnect();
    await e.close();
    env = { MASKPATROL_DATA_DIR: dataDir, DATABASE_URL: undefined, ...keys };
  } else {
    pgdb = await createTestDb();
    env = { DATABASE_URL: pgdb.url, ...keys };
  }
});
afterAll(async () => {
  await pgdb?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe(`feed:replay (${embedded ? 'embedded, no server running' : 'PostgreSQL'})`, () => {
  it('stores a file through the masking boundary with a summary, then stores nothing new on a second run', async () => {
    const first = await replay([file, '--original-time']);
    expect(first.code, first.stderr).toBe(0);
    expect(summary(first)).toEqual({ read: 103, stored: 101, duplicates: 0, dead: 2 });
    expect(first.stdout).toMatch(/events\/s:\s+[\d,]+/);
    expect(first.stdout).toContain(`replay:sample.jsonl via ${embedded ? 'embedded-direct' : 'postgresql'}`);

    const [counts] = await query(`SELECT
      (SELECT count(*)::int FROM edit) AS edits,
      (SELECT count(*)::int FROM edit WHERE "actorKind" = 'ip' AND "ipKey" IS NOT NULL AND "vaultId" IS NOT NULL) AS ip_edits,
      (SELECT count(*)::int FROM dead_letter WHERE feed = 'replay:sample.jsonl') AS dead,
      (SELECT cursor FROM feed_state WHERE feed = 'replay:sample.jsonl') AS cursor,
      (SELECT "eventsTotal"::int FROM feed_state WHERE feed = 'replay:sample.jsonl') AS total,
      (SELECT min(ts) < '2023-08-01' FROM edit) AS original_time`);
    expect(counts).toMatchObject({ edits: 101, dead: 2, cursor: '103', total: 101, original_time: true });
    expect(Number(counts!.ip_edits)).toBeGreaterThanOrEqual(1);

    const second = await replay([file]);
    expect(second.code).toBe(0);
    expect(summary(second)).toEqual({ read: 0, stored: 0, duplicates: 0, dead: 0 });
    expect(second.stdout).toMatch(/nothing new: this file was already replayed/);

    // the same events under another name (gzipped): skipped by identity
    const copy = await replay([path.join(tmp, 'sample-copy.jsonl.gz'), '--format', 'eventstreams']);
    expect(copy.code, copy.stderr).toBe(0);
    expect(summary(copy)).toMatchObject({ read: 103, stored: 0, duplicates: 101 });
    expect(copy.stdout).toMatch(/nothing new: every event in this file is already stored/);
    expect((await query('SELECT count(*)::int AS n FROM edit'))[0]).toEqual({ n: 101 });

    const dump = JSON.stringify(await query('SELECT * FROM edit')) + JSON.stringify(await query('SELECT * FROM dead_letter'));
    const output = [first, second, copy].map((r) => r.stdout + r.stderr).join('\n');
    expect(findLeaks(dump + output, [CANARY])).toEqual([]);
  });

  it('refuses missing, unreadable and unrecognised files and bad arguments with exit code 2 and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [[path.join(tmp, 'missing.jsonl')], /cannot read .*missing\.jsonl: no such file/],
      [[tmp], /not a regular file/],
      [[path.join(tmp, 'notes.txt')], /cannot detect the format/],
      [[file, '--format', 'xml'], /--format must be one of/],
      [[file, '--speed', 'fast'], /--speed must be a positive number/],
      [[file, '--speed', '2', '--max'], /not both/],
      [[file, '--wiki', 'No Wiki'], /--wiki must be a wiki id/],
      [[file, '--frobnicate'], /unknown option --frobnicate/],
      [[], /name the file to replay/],
    ];
    const results = await Promise.all(cases.map(([args]) => replay(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/usage: npm run feed:replay/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
