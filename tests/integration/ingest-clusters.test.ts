import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterTracker } from '@/lib/clustering/tracker';
import { DemoGenerator } from '@/lib/feed/demo/generator';
import type { FeedItem } from '@/lib/feed/result';
import { runFeed } from '@/lib/ingest/ingester';
import { createScorer } from '@/lib/scoring/score';
import { DEMO_START } from '../helpers/clustering';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir, testMasker } from '../helpers/ingest';
import { findLeaks } from '../helpers/leaks';

/**
 * Clusters on the ingest path: demo traffic (with its scenario labels kept aside) goes through masking, the
 * real revert-risk scorer and the cluster engine into the database; the vandal wave's edits point at one
 * cluster whose stored row names the shared /24, holds only wave members, and no IP.
 */
let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('clusters');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('stores clusters with their reasons and links each clustered edit to its cluster', async () => {
  const demo = new DemoGenerator({ seed: 7, start: DEMO_START }).take(3000);
  const scenarioOf = new Map(demo.map((d) => [d.edit.sourceId, d.scenario]));
  const ips = [...new Set(demo.flatMap((d) => [d.edit.ip, d.edit.isAnon ? d.edit.user : null]).filter((x): x is string => !!x))];
  const items: FeedItem[] = demo.map((d, i) => ({ kind: 'edit', edit: d.edit, cursor: String(i + 1) }));
  const totals = await runFeed(
    { name: 'demo-test', async *open() { yield* items; } },
    { prisma: () => t.prisma, masker: testMasker(path.join(dir, 'keys')), scorer: createScorer(), clusters: new ClusterTracker(), batchSize: 200 },
    new AbortController().signal,
  );
  expect(totals.stored).toBe(3000);

  const waveEdits = await t.sql(`SELECT "sourceId", "clusterId" FROM edit WHERE "clusterId" IS NOT NULL`);
  const byCluster = new Map<string, string[]>();
  for (const r of waveEdits) byCluster.set(r.clusterId as string, [...(byCluster.get(r.clusterId as string) ?? []), r.sourceId as string]);
  const clusters = await t.sql(`SELECT id, status, "mergedInto", reasons, detail, "memberCount" FROM cluster`);
  expect(clusters.length).toBeGreaterThan(0);
  // every clustered edit points at a stored cluster (or one merged into a stored cluster)
  const ids = new Set(clusters.map((c) => c.id as string));
  for (const id of byCluster.keys()) expect(ids.has(id)).toBe(true);

  // the vandal wave: one live cluster, /24 named among its reasons, only wave edits in it
  const waveClusters = [...byCluster].filter(([, srcs]) => srcs.some((s) => scenarioOf.get(s) === 'vandal-wave'));
  expect(waveClusters.length).toBeGreaterThan(0);
  const [waveId, srcs] = waveClusters.sort((a, b) => b[1].length - a[1].length)[0]!;
  expect(srcs.every((s) => scenarioOf.get(s) === 'vandal-wave')).toBe(true);
  let row = clusters.find((c) => c.id === waveId)!;
  while (row.status === 'merged') row = clusters.find((c) => c.id === row.mergedInto)!;
  expect((row.reasons as string[]).join(' | ')).toMatch(/\/24/);
  expect(row.memberCount as number).toBeGreaterThanOrEqual(3);

  // pseudonyms only
  const dump = JSON.stringify(clusters);
  expect(findLeaks(dump, ips)).toEqual([]);
});
