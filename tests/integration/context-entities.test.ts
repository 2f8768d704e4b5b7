import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorView } from '@/lib/actors/queries';
import { clusterView } from '@/lib/clusters/detail';
import { ClusterTracker } from '@/lib/clustering/tracker';
import { defaultSources, IpContextDb } from '@/lib/context/lookup';
import type { NetSummary } from '@/lib/context/summary';
import type { RawEdit } from '@/lib/feed/types';
import { runFeed } from '@/lib/ingest/ingester';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { rangeView } from '@/lib/ranges/queries';
import { DEFAULT_FILTERS } from '@/lib/edits/filters';
import { queueEdits } from '@/lib/edits/queue';
import { createScorer } from '@/lib/scoring/score';
import { makeActor } from '../helpers/actors';
import { ROOT } from '../helpers/ingest-root';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { findLeaks } from '../helpers/leaks';
import { anonEdit, waveEdits } from '../helpers/raw-edit';

/**
 * IP context on the entity views (step 9), over edits that went through the real pipeline with the shipped
 * data: a wave of temporary accounts from one Hetzner /24 (a cluster), two IP editors in one Andrews & Arnold
 * /24 (one of them on the operator's Tor list), and an IPv6 editor in a Google /64. An actor (a /32 or /128)
 * never shows more context than its narrowest stored range, and no address reaches any view.
 */
const WAVE = ['5.9.1.11', '5.9.1.23', '5.9.1.37', '5.9.1.49'];
const AA = ['81.2.69.160', '81.2.69.161'];
const V6 = '2a00:1450:4001:82a::200e';
const CANARIES = [...WAVE, ...AA, V6];
const NOW = Date.now();
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();

let t: TestDb;
let dir: string;
let patroller: Awaited<ReturnType<typeof makeActor>>;
const returned: unknown[] = [];
const keep = <T>(v: T): T => (returned.push(v), v);

function events(): RawEdit[] {
  const out = waveEdits(WAVE, '~2026-40000', at);
  AA.forEach((ip, i) => out.push(anonEdit(ip, { title: `AA ${i}`, timestamp: at(30 - i) })));
  out.push(anonEdit(AA[1]!, { title: 'AA again', timestamp: at(25) }));
  out.push(anonEdit(V6, { title: 'IPv6 page', timestamp: at(15) }));
  return out;
}

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('context');
  const tor = path.join(dir, 'tor-exits.txt');
  fs.writeFileSync(tor, `# test list\n${AA[1]}\n`);
  const context = new IpContextDb({ ...defaultSources(ROOT), torList: tor });
  const masker = new Masker({ keys: new KeyRing(path.join(dir, 'keys')), limits: { v4: 16, v6: 19 }, context });
  const items = events().map((edit, i) => ({ kind: 'edit' as const, edit, cursor: String(i + 1) }));
  await runFeed(
    { name: 'context-test', async *open() { yield* items; } },
    { prisma: () => t.prisma, masker, scorer: createScorer(), clusters: new ClusterTracker(), batchSize: 50 },
    new AbortController().signal,
  );
  patroller = await makeActor(t.prisma, 'patroller', 'enwiki');
}, 120_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const one = async (q: string) => (await t.sql(q))[0] as Record<string, string>;
/** what a page tells about networks, without the edit counts (which differ with the number of edits shown) */
const networks = (n: NetSummary) => n.networks.map((x) => ({ asn: x.asn, org: x.org, country: x.country, type: x.type }));

describe('IP context on entity pages', () => {
  it('stores the derived context with the pseudonyms', async () => {
    const rows = await t.sql(`SELECT "netAsn", "netOrg", "netCountry", "netType", "netAnon" FROM edit ORDER BY ts`);
    expect(rows).toHaveLength(16);
    const wave = await t.sql(`SELECT "netAsn", "netOrg", "netCountry", "netType", "netAnon" FROM edit WHERE "actorKind" = 'temp'`);
    expect(wave).toHaveLength(12);
    for (const r of wave) expect(r).toEqual({ netAsn: 24940, netOrg: 'Hetzner Online GmbH', netCountry: 'DE', netType: 'hosting', netAnon: null });
    expect(rows.filter((r) => r.netAnon === 'tor')).toHaveLength(2);
  });

  it('aggregates per cluster: 4 actors, 1 network, 1 country', async () => {
    const { clusterId } = await one(`SELECT "clusterId" FROM edit WHERE "actorName" = '~2026-40000-10' AND "clusterId" IS NOT NULL LIMIT 1`);
    const found = keep(await clusterView(patroller, clusterId!));
    expect(found?.kind).toBe('cluster');
    const c = found!.kind === 'cluster' ? found!.cluster : null;
    expect(c!.actorsSeen).toBe(4);
    expect(c!.net.networkCount).toBe(1);
    expect(c!.net.countries).toEqual(['DE']);
    expect(networks(c!.net)).toEqual([{ asn: 24940, org: 'Hetzner Online GmbH', country: 'DE', type: 'hosting' }]);
    expect(c!.net.types).toEqual({ hosting: c!.net.withContext });
  });

  it('an actor (a /32) shows no more than its /24 range page, and the /24 no more than its /16', async () => {
    for (const ip of AA) {
      const { ipKey, range24, range16 } = await one(
        `SELECT "ipKey", range24, range16 FROM edit WHERE "actorKind" = 'ip' AND "ipFamily" = 4 AND title LIKE 'AA ${AA.indexOf(ip)}'`,
      );
      const actor = keep(await actorView(patroller, ipKey!))!;
      const r24 = keep(await rangeView(patroller, range24!))!;
      const r16 = keep(await rangeView(patroller, range16!))!;
      expect(networks(actor.net)).toEqual([{ asn: 20712, org: 'Andrews & Arnold Ltd', country: 'GB', type: 'unknown' }]);
      expect(networks(actor.net)).toEqual(networks(r24.net));
      expect(networks(r24.net)).toEqual(networks(r16.net));
      expect(actor.net.countries).toEqual(r24.net.countries);
      // the whole summary has the same fields at every length: nothing finer appears for a narrower look
      expect(Object.keys(actor.net).sort()).toEqual(Object.keys(r24.net).sort());
      for (const n of actor.net.networks) expect(Object.keys(n).sort()).toEqual(['asn', 'country', 'edits', 'org', 'type']);
    }
  });

  it('IPv6: an actor (a /128) shows what its /64 shows', async () => {
    const { ipKey, range64, range48 } = await one(`SELECT "ipKey", range64, range48 FROM edit WHERE "ipFamily" = 6 LIMIT 1`);
    const actor = keep(await actorView(patroller, ipKey!))!;
    const r64 = keep(await rangeView(patroller, range64!))!;
    const r48 = keep(await rangeView(patroller, range48!))!;
    expect(networks(actor.net)).toEqual([{ asn: 15169, org: 'Google LLC', country: 'IE', type: 'hosting' }]);
    expect(networks(r64.net)).toEqual(networks(actor.net));
    expect(networks(r48.net)).toEqual(networks(actor.net));
  });

  it('the Tor flag from the operator list shows as a count of edits, on the actor and on its range', async () => {
    const { ipKey, range24 } = await one(`SELECT "ipKey", range24 FROM edit WHERE title = 'AA again'`);
    expect(keep(await actorView(patroller, ipKey!))!.net.anon).toEqual({ tor: 2, vpn: 0 });
    expect(keep(await rangeView(patroller, range24!))!.net.anon).toEqual({ tor: 2, vpn: 0 });
    const { ipKey: other } = await one(`SELECT "ipKey" FROM edit WHERE title = 'AA 0'`);
    expect(keep(await actorView(patroller, other!))!.net.anon).toEqual({ tor: 0, vpn: 0 });
  });

  it('queue filters: only hosting networks, country =', async () => {
    const hosting = keep(await queueEdits(patroller, { ...DEFAULT_FILTERS, hostingOnly: true }));
    expect(hosting).toHaveLength(13); // the Hetzner wave and the Google IPv6 editor
    expect(hosting.every((r) => r.net?.type === 'hosting')).toBe(true);
    const gb = keep(await queueEdits(patroller, { ...DEFAULT_FILTERS, country: 'GB' }));
    expect(gb.map((r) => r.title).sort()).toEqual(['AA 0', 'AA 1', 'AA again']);
    expect(gb.every((r) => r.net?.asn === 20712 && r.net.org === 'Andrews & Arnold Ltd')).toBe(true);
    expect(await queueEdits(patroller, { ...DEFAULT_FILTERS, country: 'DE', hostingOnly: true })).toHaveLength(12);
    expect(await queueEdits(patroller, { ...DEFAULT_FILTERS, country: 'JP' })).toEqual([]);
  });

  it('no address, and no prefix notation, in anything the views returned', () => {
    const text = JSON.stringify(returned, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(returned.length).toBeGreaterThan(8);
    expect(findLeaks(text, CANARIES)).toEqual([]);
    for (const net of ['5.9.1.0', '81.2.69.0', '81.2.0.0', '2a00:1450:4001:82a::', '2a00:1450:4001::']) expect(text).not.toContain(net);
  });
});
