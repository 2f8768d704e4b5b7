/**
 * npm run bench:blocks [-- --events N] [--rounds R] [--blocks B]
 *
 * What block enforcement costs the ingest path. The same N events of the real 2015 day (fixtures/realdata) go
 * through runFeed — parse, mask, score, cluster, the block check, storage in PGlite (in-process, in memory) —
 * with NO active block and with B (default 10,000) active blocks, in interleaved rounds in the same run (A B B A
 * …, each round into emptied tables). The blocks: 60 % IP actors, 30 % /24 and /64
 * ranges, 5 % ranges at lengths that are not stored (/20, /40: the masker computes them for every event while such
 * a block is active), 5 % temporary accounts; 200 of them target addresses of the day, so some events match.
 * Also measured, interleaved the same way: the CPU-only pipeline (mask + score + check, no database), the
 * stricter ratio. Reports medians and the geometric mean of the paired ratios; target: < 10 % (ratio < 1.10) end to end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prismaForPglite } from '../lib/db/client';
import { deployMigrations } from '../lib/db/migrate';
import { anchorOf, sealAnchor } from '../lib/blocks/anchor';
import { BlockMatcher, type ActiveBlock } from '../lib/blocks/matcher';
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
const BLOCKS = Number(arg('blocks')) || 10_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const randomIp = (v6: boolean) =>
  v6
    ? `2001:db8:${Array.from({ length: 6 }, () => Math.floor(Math.random() * 65536).toString(16)).join(':')}`
    : Array.from({ length: 4 }, (_, i) => (i === 0 ? 11 + Math.floor(Math.random() * 200) : Math.floor(Math.random() * 256))).join('.');

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-blocks-'));
  const keysDir = path.join(root, 'keys');
  const keys = new KeyRing(keysDir);
  const raws: RawEdit[] = [];
  for await (const item of replayFile(path.resolve(DEFAULT_REPLAY_FILE), { time: 'original' })) {
    if (item.kind === 'edit') raws.push(item.edit);
    if (raws.length >= EVENTS) break;
  }
  const dayIps = [...new Set(raws.filter((r) => r.isAnon).map((r) => r.user))];

  // the active blocks, with anchors sealed under keys of their own (as the service creates them)
  const blocks: ActiveBlock[] = [];
  for (let i = 0; i < BLOCKS; i++) {
    const id = randomUUID();
    const r = i / BLOCKS;
    const base = { id, wiki: 'enwiki', expiresAt: null, anonOnly: false, partialPages: [], partialNamespaces: [] };
    if (r >= 0.95) {
      blocks.push({ ...base, targetType: 'account', targetKey: `~2026-${i}-1`, family: null, prefix: null, anchorCt: null });
      continue;
    }
    const ip = tryCanonicalIp(i < 200 && dayIps[i] ? dayIps[i]! : randomIp(i % 3 === 0))!;
    const full = ip.family === 4 ? 32 : 128;
    const prefix = r < 0.6 ? full : r < 0.9 ? (ip.family === 4 ? 24 : 64) : ip.family === 4 ? 20 : 40;
    const anchor = anchorOf(ip, prefix);
    blocks.push({ ...base, targetType: prefix === full ? 'actor' : 'range', targetKey: '', family: ip.family, prefix, anchorCt: sealAnchor(keysDir, id, anchor) });
  }

  const pglite = await PGlite.create();
  await deployMigrations(new PrismaPGlite(pglite));
  const prisma = prismaForPglite(pglite);
  const empty = new BlockMatcher(() => prisma, keys, keysDir);
  const full = new BlockMatcher(() => prisma, keys, keysDir);
  const t0 = performance.now();
  full.setBlocks(blocks);
  const indexMs = performance.now() - t0;
  const masker = new Masker({ keys, limits: { v4: 16, v6: 19 } });

  let round = 0;
  const fresh = () => {
    const tag = `r${++round}`;
    return raws.map((r) => ({ ...r, sourceId: `${r.sourceId}:${tag}` }));
  };
  const ingest = async (matcher: BlockMatcher) => {
    const edits = fresh();
    // every round stores into an empty table: later rounds are not slower for a bigger index
    await pglite.exec('TRUNCATE edit, vault_record, feed_state, cluster CASCADE');
    const start = performance.now();
    await runFeed(
      { name: `bench-${round}`, async *open() { for (const edit of edits) yield { kind: 'edit' as const, edit, cursor: null }; } },
      { prisma: () => prisma, masker, scorer: createScorer(), clusters: new ClusterTracker(), blocks: matcher },
      new AbortController().signal,
    );
    return performance.now() - start;
  };
  let matched = 0;
  const cpu = (matcher: BlockMatcher) => {
    const scorer = createScorer();
    const start = performance.now();
    for (const r of raws) {
      const m = masker.maskEdit(r, matcher.maskContext());
      if (matcher.match(m.masked)) matched++;
      scorer.score(m.masked);
    }
    return performance.now() - start;
  };

  await ingest(empty); // warm-up
  cpu(empty);
  cpu(full);
  const t = { ingestNone: [] as number[], ingestBlocks: [] as number[], cpuNone: [] as number[], cpuBlocks: [] as number[] };
  let flagged = 0;
  let perRound = 0;
  // A B B A order in each pair of rounds, so a drift of the machine's speed weighs on both arms alike
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [empty, full] : [full, empty];
    for (const m of order) {
      globalThis.gc?.();
      const ms = await ingest(m);
      (m === empty ? t.ingestNone : t.ingestBlocks).push(ms);
      if (m === full) flagged = await prisma.edit.count({ where: { evasionBlockId: { not: null } } });
    }
    for (const m of order) {
      const before = matched;
      (m === empty ? t.cpuNone : t.cpuBlocks).push(cpu(m));
      if (m === full) perRound = matched - before;
    }
  }
  // the ratio of each round's pair (run back to back), then their geometric mean: a drift of the machine's load
  // cancels within a pair, and the A B / B A alternation cancels whatever running second does to a run
  const row = (name: string, none: number[], withBlocks: number[]) => {
    const a = median(none);
    const b = median(withBlocks);
    const ratio = Math.exp(none.reduce((acc, x, i) => acc + Math.log(withBlocks[i]! / x), 0) / none.length);
    console.log(`${name.padEnd(28)} ${a.toFixed(0).padStart(8)} ms ${b.toFixed(0).padStart(8)} ms   paired ratio ${ratio.toFixed(3)}  (${((ratio - 1) * 100).toFixed(1)} %)`);
    return ratio;
  };
  console.log(`${EVENTS} events × ${ROUNDS} interleaved rounds; ${BLOCKS} active blocks (indexed in ${indexMs.toFixed(0)} ms); ${perRound} events per round match a block (${flagged} flagged in the last stored round)`);
  console.log(`${'median per round'.padEnd(26)} ${'no blocks'.padStart(11)} ${`${BLOCKS} blocks`.padStart(11)}`);
  const e2e = row('ingest (runFeed → PGlite)', t.ingestNone, t.ingestBlocks);
  const cpuRatio = row('CPU only (mask+score+check)', t.cpuNone, t.cpuBlocks);
  writeReport('blocks', [
    {
      metric: `ingest ${EVENTS} events with ${BLOCKS} active blocks (median)`,
      value: Math.round(median(t.ingestBlocks)),
      unit: 'ms',
      baseline: { label: 'no blocks', value: Math.round(median(t.ingestNone)), unit: 'ms' },
      ratio: +e2e.toFixed(3),
      target: 'ratio < 1.10',
      met: e2e < 1.1,
    },
    {
      metric: 'CPU only (mask + score + check)',
      value: Math.round(median(t.cpuBlocks)),
      unit: 'ms',
      baseline: { label: 'no blocks', value: Math.round(median(t.cpuNone)), unit: 'ms' },
      ratio: +cpuRatio.toFixed(3),
      target: null,
      met: null,
    },
  ]);
  console.log(e2e < 1.1 ? 'target met: enforcement adds < 10 % to ingest' : 'TARGET MISSED: enforcement adds ≥ 10 % to ingest');
  await prisma.$disconnect();
  await pglite.close();
  fs.rmSync(root, { recursive: true, force: true });
}

await main();
