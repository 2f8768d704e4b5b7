/**
 * npm run bench:context [-- --events N] [--rounds R]
 *
 * What the IP-context lookup (step 9) costs the ingest path. First: loading the shipped data (time, and heap
 * held afterwards) and the lookup alone over the day's addresses (cold per-block cache, then warm). Then the same
 * N events of the real 2015 day (fixtures/realdata) go through runFeed — parse, mask, score, cluster, storage in
 * PGlite (in-process, in memory) — WITHOUT and WITH context, in interleaved rounds in the same run (A B / B A,
 * each round into emptied tables), and the CPU-only path (mask + score) the same way. Reports medians, the
 * geometric mean of the paired ratios, and the with-context rate in events/s; target: < 10 % (ratio < 1.10)
 * end to end, so step 3's ingest targets (bench:ingest) still hold.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prismaForPglite } from '../lib/db/client';
import { deployMigrations } from '../lib/db/migrate';
import { defaultSources, IpContextDb } from '../lib/context/lookup';
import { replayFile } from '../lib/feed/replay';
import type { RawEdit } from '../lib/feed/types';
import { DEFAULT_REPLAY_FILE } from '../lib/ingest/feeds';
import { runFeed } from '../lib/ingest/ingester';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import { tryCanonicalIp } from '../lib/masking/ip';
import { createScorer } from '../lib/scoring/score';
import { ClusterTracker } from '../lib/clustering/tracker';
import { cliArg, writeReport } from './report';

const arg = (name: string) => cliArg(name);
const EVENTS = Number(arg('events')) || 5000;
const ROUNDS = Number(arg('rounds')) || 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main() {
  console.log(`bench:context — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-context-'));
  const keys = new KeyRing(path.join(root, 'keys'));
  const raws: RawEdit[] = [];
  for await (const item of replayFile(path.resolve(DEFAULT_REPLAY_FILE), { time: 'original' })) {
    if (item.kind === 'edit') raws.push(item.edit);
    if (raws.length >= EVENTS) break;
  }

  // loading: time and the heap it keeps
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const ext0 = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const context = new IpContextDb(defaultSources());
  const loadMs = performance.now() - t0;
  gc();
  const heldHeap = process.memoryUsage().heapUsed - heap0;
  const heldBuffers = process.memoryUsage().arrayBuffers - ext0;
  console.log(
    `data ${context.version}: loaded in ${loadMs.toFixed(0)} ms; held afterwards ≈ ${((heldHeap + heldBuffers) / 2 ** 20).toFixed(1)} MiB ` +
      `(heap ${(heldHeap / 2 ** 20).toFixed(1)}, typed arrays ${(heldBuffers / 2 ** 20).toFixed(1)})`,
  );

  // the lookup alone over the day's addresses (all events' editor IPs, in order)
  const ips = raws.flatMap((r) => {
    const ip = tryCanonicalIp(r.user) ?? (r.ip ? tryCanonicalIp(r.ip) : null);
    return ip ? [ip] : [];
  });
  const cold = new IpContextDb(defaultSources());
  let t = performance.now();
  let hits = 0;
  for (const ip of ips) if (cold.lookup(ip.family, ip.bytes)?.asn) hits++;
  const coldNs = ((performance.now() - t) * 1e6) / Math.max(1, ips.length);
  t = performance.now();
  for (let k = 0; k < 10; k++) for (const ip of ips) cold.lookup(ip.family, ip.bytes);
  const warmNs = ((performance.now() - t) * 1e6) / Math.max(1, ips.length * 10);
  console.log(
    `${ips.length} of ${raws.length} events carry an address; ${hits} of them in a block the data places in one AS; ` +
      `lookup ${coldNs.toFixed(0)} ns (first pass, per-block cache cold) / ${warmNs.toFixed(0)} ns (warm) per address`,
  );

  const pglite = await PGlite.create();
  await deployMigrations(new PrismaPGlite(pglite));
  const prisma = prismaForPglite(pglite);
  const plain = new Masker({ keys, limits: { v4: 16, v6: 19 } });
  const withContext = new Masker({ keys, limits: { v4: 16, v6: 19 }, context });

  let round = 0;
  const ingest = async (masker: Masker) => {
    const tag = `r${++round}`;
    const edits = raws.map((r) => ({ ...r, sourceId: `${r.sourceId}:${tag}` }));
    await pglite.exec('TRUNCATE edit, vault_record, feed_state, cluster CASCADE');
    const start = performance.now();
    await runFeed(
      { name: `bench-${round}`, async *open() { for (const edit of edits) yield { kind: 'edit' as const, edit, cursor: null }; } },
      { prisma: () => prisma, masker, scorer: createScorer(), clusters: new ClusterTracker() },
      new AbortController().signal,
    );
    return performance.now() - start;
  };
  const cpu = (masker: Masker) => {
    const scorer = createScorer();
    const start = performance.now();
    for (const r of raws) scorer.score(masker.maskEdit(r).masked);
    return performance.now() - start;
  };

  await ingest(plain); // warm-up
  await ingest(withContext);
  cpu(plain);
  cpu(withContext);
  const ms = { ingestOff: [] as number[], ingestOn: [] as number[], cpuOff: [] as number[], cpuOn: [] as number[] };
  let stored = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [plain, withContext] : [withContext, plain];
    for (const m of order) {
      gc();
      (m === plain ? ms.ingestOff : ms.ingestOn).push(await ingest(m));
      if (m === withContext) stored = await prisma.edit.count({ where: { netType: { not: null } } });
    }
    for (const m of order) (m === plain ? ms.cpuOff : ms.cpuOn).push(cpu(m));
  }

  const row = (name: string, off: number[], on: number[]) => {
    const ratio = Math.exp(off.reduce((acc, x, i) => acc + Math.log(on[i]! / x), 0) / off.length);
    const rate = (EVENTS * 1000) / median(on);
    console.log(
      `${name.padEnd(30)} ${median(off).toFixed(0).padStart(7)} ms ${median(on).toFixed(0).padStart(9)} ms   paired ratio ${ratio.toFixed(3)} ` +
        `(${((ratio - 1) * 100).toFixed(1)} %)   with context ${Math.round(rate).toLocaleString('en-US')} events/s`,
    );
    return ratio;
  };
  console.log(`\n${EVENTS} events × ${ROUNDS} interleaved rounds (${stored} edits stored with context per round)`);
  console.log(`${'median per round'.padEnd(30)} ${'no context'.padStart(10)} ${'with context'.padStart(12)}`);
  const e2e = row('ingest (runFeed → PGlite)', ms.ingestOff, ms.ingestOn);
  const cpuRatio = row('CPU only (mask + score)', ms.cpuOff, ms.cpuOn);
  const rate = (xs: number[]) => Math.round((EVENTS * 1000) / median(xs));
  writeReport('context', [
    {
      metric: 'ingest with IP context (runFeed → PGlite)',
      value: rate(ms.ingestOn),
      unit: 'events/s',
      baseline: { label: 'the same rounds without context', value: rate(ms.ingestOff), unit: 'events/s' },
      ratio: +(1 / e2e).toFixed(3),
      target: 'context adds < 10 % to ingest time',
      met: e2e < 1.1,
    },
    {
      metric: 'mask + score with IP context (CPU only)',
      value: rate(ms.cpuOn),
      unit: 'events/s',
      baseline: { label: 'without context', value: rate(ms.cpuOff), unit: 'events/s' },
      ratio: +(1 / cpuRatio).toFixed(3),
      target: null,
      met: null,
    },
  ]);
  console.log(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(e2e < 1.1 ? 'target met: context adds < 10 % to ingest' : 'TARGET MISSED: context adds ≥ 10 % to ingest');
  await prisma.$disconnect();
  await pglite.close();
  fs.rmSync(root, { recursive: true, force: true });
}

await main();
