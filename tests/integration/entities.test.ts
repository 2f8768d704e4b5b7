import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorView } from '@/lib/actors/queries';
import { clusterView } from '@/lib/clusters/detail';
import { ClusterTracker } from '@/lib/clustering/tracker';
import { ForbiddenError } from '@/lib/errors';
import type { RawEdit } from '@/lib/feed/types';
import { runFeed } from '@/lib/ingest/ingester';
import { overview } from '@/lib/overview/queries';
import { rangeView } from '@/lib/ranges/queries';
import { createScorer } from '@/lib/scoring/score';
import { makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir, testMasker } from '../helpers/ingest';
import { findLeaks, serialise } from '../helpers/leaks';
import { anonEdit, rawEdit, waveEdits } from '../helpers/raw-edit';

/**
 * The entity views (actor, range, cluster, overview) over edits that went through the real pipeline: a /24
 * wave of temporary accounts sent with their IPs by a trusted producer, an IP editor sharing its address with
 * a temporary account, an IPv6 editor, and a dewiki IP editor. Authorization per wiki, bucketed vs exact
 * counts by role, the merged-cluster redirect, and no canary address in anything returned.
 */
const WAVE = ['198.51.100.11', '198.51.100.23', '198.51.100.37', '198.51.100.49'];
const SHARED = '198.51.100.77';
const V6 = '2001:db8:1:2::5';
const DE = '192.0.2.5';
const CANARIES = [...WAVE, SHARED, V6, DE];
const NOW = Date.now();
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();

let t: TestDb;
let dir: string;
let enPatroller: Awaited<ReturnType<typeof makeActor>>;
let admin: Awaited<ReturnType<typeof makeActor>>;
const returned: unknown[] = [];
const keep = <T>(v: T): T => (returned.push(v), v);

function events(): RawEdit[] {
  const out = waveEdits(WAVE, '~2026-31337', at);
  for (let i = 0; i < 3; i++) out.push(anonEdit(SHARED, { title: `Shared ${i}`, comment: `see ${SHARED}`, timestamp: at(30 - i) }));
  out.push(rawEdit({ user: '~2026-00001-99', isTemp: true, ip: SHARED, title: 'Shared 0', timestamp: at(20) }));
  out.push(anonEdit(V6, { title: 'IPv6 page', timestamp: at(15) }));
  out.push(anonEdit(DE, { wiki: 'dewiki', serverUrl: 'https://de.wikipedia.org', title: 'Seite', timestamp: at(10) }));
  return out;
}

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('entities');
  const items = events().map((edit, i) => ({ kind: 'edit' as const, edit, cursor: String(i + 1) }));
  await runFeed(
    { name: 'entities-test', async *open() { yield* items; } },
    { prisma: () => t.prisma, masker: testMasker(path.join(dir, 'keys')), scorer: createScorer(), clusters: new ClusterTracker(), batchSize: 50 },
    new AbortController().signal,
  );
  enPatroller = await makeActor(t.prisma, 'patroller', 'enwiki');
  admin = await makeActor(t.prisma, 'admin', '*');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const one = async (q: string) => (await t.sql(q))[0] as Record<string, string>;

describe('actor view', () => {
  it('shows an IP editor by pseudonym with its ranges, epoch and the temporary account seen on its address', async () => {
    const { ipKey } = await one(`SELECT "ipKey" FROM edit WHERE "actorKind" = 'ip' AND "ipFamily" = 4 AND wiki = 'enwiki' LIMIT 1`);
    const v = keep(await actorView(enPatroller, ipKey!))!;
    expect(v.kind).toBe('ip');
    expect(v.display).toMatch(/^IP-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(v.epoch).toBeTruthy();
    expect(v.editCount).toBe(3);
    expect(v.timeline.points.reduce((a, p) => a + p.edits, 0)).toBe(3);
    expect(v.pages.map((p) => p.title).sort()).toEqual(['Shared 0', 'Shared 1', 'Shared 2']);
    expect(v.ranges.map((r) => r.prefix).sort()).toEqual([16, 24]);
    expect(v.relatedTemp).toEqual([{ name: '~2026-00001-99', edits: 1 }]);
    expect(v.recent).toHaveLength(3);
    expect(v.scores.reduce((a, b) => a + b.edits, 0)).toBe(3);
  });

  it('shows a temporary account by name, with its cluster', async () => {
    const v = keep(await actorView(enPatroller, '~2026-31337-10'))!;
    expect(v.kind).toBe('temp');
    expect(v.editCount).toBe(3);
    expect(v.clusters.length).toBeGreaterThan(0);
    expect(v.clusters[0]!.reasons.join(' ')).toMatch(/\/24/);
    expect(v.ranges.find((r) => r.prefix === 24)?.display).toMatch(/^R24-/);
  });

  it('refuses a dewiki actor to an enwiki patroller, and knows no unknown key', async () => {
    const { ipKey } = await one(`SELECT "ipKey" FROM edit WHERE wiki = 'dewiki' LIMIT 1`);
    await expect(actorView(enPatroller, ipKey!)).rejects.toBeInstanceOf(ForbiddenError);
    expect(keep(await actorView(admin, ipKey!))?.wikis).toEqual(['dewiki']);
    expect(await actorView(enPatroller, 'f'.repeat(64))).toBeNull();
    expect(await actorView(enPatroller, 'Nobody at all')).toBeNull();
  });
});

describe('range view', () => {
  it('buckets actor counts for a patroller and shows them exactly to an admin', async () => {
    const { range24 } = await one(`SELECT range24 FROM edit WHERE "actorName" = '~2026-31337-10' LIMIT 1`);
    const p = keep(await rangeView(enPatroller, range24!))!;
    expect(p.prefix).toBe(24);
    expect(p.display).toMatch(/^R24-/);
    expect(p.exactCounts).toBe(false);
    // 4 wave accounts, the IP editor and the temporary account on its address
    expect(p.actorCount).toEqual({ bucket: '6–10' });
    expect(p.actors.every((a) => a.edits.exact === undefined && a.edits.bucket)).toBe(true);
    expect(p.wider.map((w) => w.prefix)).toEqual([16]);
    const a = keep(await rangeView(admin, range24!))!;
    expect(a.exactCounts).toBe(true);
    expect(a.actorCount).toEqual({ exact: 6 });
    expect(a.actors.find((x) => x.display === '~2026-31337-10')?.edits).toEqual({ exact: 3 });
    expect(a.editCount).toBe(16);
  });

  it('links an IPv6 /64 to its /32 and /48, and a /16 to nothing wider', async () => {
    const { range64, range16 } = await one(
      `SELECT (SELECT range64 FROM edit WHERE "ipFamily" = 6 LIMIT 1) AS range64, (SELECT range16 FROM edit WHERE "ipFamily" = 4 AND wiki = 'enwiki' LIMIT 1) AS range16`,
    );
    const v6 = keep(await rangeView(enPatroller, range64!))!;
    expect(v6.wider.map((w) => w.display.slice(0, 6))).toEqual(['R6-32-', 'R6-48-']);
    expect(keep(await rangeView(enPatroller, v6.wider[1]!.key))!.prefix).toBe(48);
    expect(keep(await rangeView(enPatroller, range16!))!.wider).toEqual([]);
    expect(await rangeView(enPatroller, '0'.repeat(64))).toBeNull();
    expect(await rangeView(enPatroller, 'not-a-key')).toBeNull();
  });

  it('refuses a dewiki-only range to an enwiki patroller', async () => {
    const { range24 } = await one(`SELECT range24 FROM edit WHERE wiki = 'dewiki' LIMIT 1`);
    await expect(rangeView(enPatroller, range24!)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('cluster view', () => {
  it('shows members, reasons, series and member edits, and sends a merged id to the absorbing cluster', async () => {
    const last = await one(`SELECT "clusterId" FROM edit WHERE "actorName" LIKE '~2026-31337-%' ORDER BY ts DESC LIMIT 1`);
    const first = await clusterView(enPatroller, last.clusterId!);
    const clusterId = first?.kind === 'merged' ? first.into : last.clusterId!;
    const r = keep(await clusterView(enPatroller, clusterId));
    expect(r?.kind).toBe('cluster');
    const c = r?.kind === 'cluster' ? r.cluster : null;
    expect(c!.members.length).toBeGreaterThanOrEqual(3);
    expect(c!.members[0]!.href).toMatch(/^\/actors\/~2026-31337-1\d$/);
    expect(c!.series.length).toBeGreaterThan(0);
    expect(c!.edits.length).toBeGreaterThanOrEqual(c!.members.length);
    expect(c!.edits.every((e) => e.score !== null)).toBe(true);

    const merged = '00000000-0000-4000-8000-000000000001';
    await t.sql(
      `INSERT INTO cluster (id, rev, status, "mergedInto", wikis, "memberCount", "editCount", heat, "peakHeat", "firstSeen", "lastSeen", reasons, detail)
       VALUES ($1, 1, 'merged', $2, '{enwiki}', 0, 0, 0, 0, now(), now(), '[]', '{}')`,
      [merged, clusterId],
    );
    expect(await clusterView(enPatroller, merged)).toEqual({ kind: 'merged', into: clusterId });
    expect(await clusterView(enPatroller, '00000000-0000-4000-8000-00000000ffff')).toBeNull();
    const de = await makeActor(t.prisma, 'patroller', 'dewiki');
    await expect(clusterView(de, clusterId)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('overview', () => {
  it('counts the last hour per wiki the viewer patrols, with scores and hot clusters', async () => {
    const o = keep(await overview(enPatroller, NOW));
    expect(o.wikis).toEqual(['enwiki']);
    expect(o.editsLastHour).toBe(17);
    expect(o.perMinute).toHaveLength(60);
    expect(o.scores.reduce((a, b) => a + b.edits, 0)).toBe(17);
    expect(o.hottest.length).toBeGreaterThan(0);
    expect((await overview(admin, NOW)).wikis.sort()).toEqual(['dewiki', 'enwiki']);
  });
});

it('returns no canary address in any form', () => {
  expect(returned.length).toBeGreaterThan(8);
  expect(findLeaks(serialise(returned), CANARIES)).toEqual([]);
});
