import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FeedItem } from '@/lib/feed/result';
import { runFeed, type FeedSpec } from '@/lib/ingest/ingester';
import { createScorer } from '@/lib/scoring/score';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir, testMasker } from '../helpers/ingest';
import { anonEdit, rawEdit } from '../helpers/raw-edit';

/**
 * Scoring on the ingest path: every stored edit carries its revert-risk score and top factors, computed
 * in arrival order; an IP that was reverted and then blanks a page ranks above an ordinary edit.
 */
let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('scoring');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const VANDAL = '203.0.113.77';

function spec(items: FeedItem[]): FeedSpec {
  return {
    name: 'scoring-test',
    async *open() {
      yield* items;
    },
  };
}

it('stores a score and its factors with every edit; a reverted IP that then blanks a page scores high', async () => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 26, 12, m)).toISOString();
  const edits = [
    rawEdit({ sourceId: 'rc:1', timestamp: at(0), comment: 'fix typo in infobox' }),
    anonEdit(VANDAL, { sourceId: 'rc:2', timestamp: at(1), title: 'Moon', comment: '', sizeOld: 9000, sizeNew: 12, sizeDelta: -8988 }),
    rawEdit({ sourceId: 'rc:3', timestamp: at(2), title: 'Moon', user: 'Patroller', comment: `Reverted edits by ${VANDAL} (talk) to last version by Example user` }),
    // a mild-looking edit by the same IP: its history (reverted a minute ago) is what raises it
    anonEdit(VANDAL, { sourceId: 'rc:4', timestamp: at(3), title: 'Sun', comment: 'update', sizeOld: 5000, sizeNew: 5010, sizeDelta: 10 }),
    anonEdit('198.51.100.3', { sourceId: 'rc:5', timestamp: at(3), title: 'Sun', comment: 'update', sizeOld: 5010, sizeNew: 5020, sizeDelta: 10 }),
  ];
  const items: FeedItem[] = edits.map((edit, i) => ({ kind: 'edit', edit, cursor: String(i + 1) }));
  const totals = await runFeed(spec(items), { prisma: () => t.prisma, masker: testMasker(path.join(dir, 'keys')), scorer: createScorer() }, new AbortController().signal);
  expect(totals.stored).toBe(5);

  const rows = await t.sql(`SELECT "sourceId", score, "scoreFactors" FROM edit ORDER BY "sourceId"`);
  for (const r of rows) {
    expect(typeof r.score).toBe('number');
    expect(r.score as number).toBeGreaterThan(0);
    expect(r.score as number).toBeLessThan(1);
    expect(Array.isArray(r.scoreFactors)).toBe(true);
  }
  const by = Object.fromEntries(rows.map((r) => [r.sourceId as string, r]));
  const ordinary = by['rc:1']!.score as number;
  const first = by['rc:2']!.score as number;
  const afterRevert = by['rc:4']!.score as number;
  expect(first).toBeGreaterThan(ordinary);
  // the revert in between named this IP (as its pseudonym): the same mild edit by another IP scores lower
  expect(afterRevert).toBeGreaterThan(by['rc:5']!.score as number);
  const labels = (by['rc:4']!.scoreFactors as { label: string }[]).map((f) => f.label).join(' | ');
  expect(labels).toMatch(/revert/i);
  // factors are pseudonymous like everything else
  expect(JSON.stringify(rows)).not.toContain(VANDAL);
});

it('a restarted ingester rebuilds the score history from stored edits (a reverted IP stays suspicious)', async () => {
  const { warmScorer } = await import('@/lib/scoring/warm');
  const now = new Date(Date.UTC(2026, 10, 26, 12, 10));
  const cold = createScorer();
  const warm = createScorer();
  expect(await warmScorer(t.prisma, warm, { now, hours: 24 })).toBe(5);
  const masker = testMasker(path.join(dir, 'keys'));
  const next = () => masker.maskEdit(anonEdit(VANDAL, { sourceId: 'rc:9', timestamp: now.toISOString(), title: 'Mars', comment: 'update', sizeOld: 10, sizeNew: 20, sizeDelta: 10 })).masked;
  const coldScore = cold.score(next()).score;
  const warmResult = warm.score(next());
  expect(warmResult.score).toBeGreaterThan(coldScore);
  expect(warmResult.factors.map((f) => f.label).join(' | ')).toMatch(/revert/i);
});
