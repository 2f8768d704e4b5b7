/**
 * npm run bench:clustering [-- --events 1000000] [--templates 20000]
 *
 * Cluster-engine cost per event after 10,000 and after 1,000,000 observed events: the update must not
 * grow with history (target: within 1.5×). Events are synthesised cheaply from demo traffic masked once
 * through the real Masker (all scenarios: vandal waves, sock bursts, school range, IPv6 hopper, ordinary
 * and bot traffic): event i replays template i mod T, shifted forward in time by whole template spans, with
 * every actor and address renamed per cycle (new temporary accounts and IP editors, as a real feed brings).
 * Two engines, one with 10,000 events of history and one with ≈ 1,000,000, process the same templates in
 * 9 interleaved blocks of 4,000 events (alternating which goes first) timed in this process's CPU time, so
 * both see the same machine load; the median block counts. A separate engine warms the JIT first. Peak heap is sampled every 10,000 events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClusterEngine, type ClusterEngine } from '../lib/clustering/engine';
import { DemoGenerator } from '../lib/feed/demo/generator';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import type { MaskedEdit } from '../lib/masking/types';
import { writeReport } from './report';

const argv = process.argv.slice(2);
const num = (name: string, d: number) => Number(argv[argv.indexOf(`--${name}`) + 1]) || d;
const TOTAL = num('events', 1_000_000);
const T = num('templates', 20_000);
const EARLY = 10_000;
const BLOCK = 4_000;
const BLOCKS = 9;
const START = Date.parse('2026-03-03T00:00:00Z');

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

// ---------------------------------------------------------------------------------------------- templates
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-cluster-'));
let templates: { edit: MaskedEdit; t: number; score: number }[];
try {
  const masker = new Masker({ keys: new KeyRing(path.join(dir, 'keys')), limits: { v4: 16, v6: 19 } });
  const t0 = performance.now();
  templates = new DemoGenerator({ seed: 11, start: START }).take(T).map(({ edit }) => {
    const removed = edit.sizeDelta !== null && edit.sizeDelta < 0 && edit.sizeOld ? -edit.sizeDelta / edit.sizeOld : 0;
    return { edit: maskerEdit(masker, edit), t: Date.parse(edit.timestamp), score: Math.min(1, removed) };
  });
  console.log(`${T.toLocaleString('en-US')} demo templates masked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
function maskerEdit(m: Masker, raw: Parameters<Masker['maskEdit']>[0]): MaskedEdit {
  return m.maskEdit(raw).masked;
}
const SPAN = (templates[templates.length - 1] as { t: number }).t - START + 1000;

/** Event i: template i mod T, in cycle ⌊i / T⌋ (time shifted by whole spans, actors and addresses renamed). */
function synth(i: number): { id: string; edit: MaskedEdit; score: number } {
  const tpl = templates[i % T] as { edit: MaskedEdit; t: number; score: number };
  const cycle = Math.floor(i / T);
  const e = tpl.edit;
  if (cycle === 0) return { id: String(i), edit: e, score: tpl.score };
  const sfx = `.${cycle}`;
  const edit: MaskedEdit = {
    ...e,
    timestamp: new Date(tpl.t + cycle * SPAN).toISOString(),
    actor: e.actor.kind === 'user' ? e.actor : { ...e.actor, name: e.actor.name + sfx, key: e.actor.key && e.actor.key + sfx },
    ip: e.ip && { ...e.ip, key: e.ip.key + sfx },
  };
  return { id: String(i), edit, score: tpl.score };
}

// ---------------------------------------------------------------------------------------------- run
let peakHeap = 0;
const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));

function feed(engine: ClusterEngine, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    engine.observe(synth(i));
    if (i % 10_000 === 0) sampleHeap();
  }
}

/** CPU µs per event of one block (this process's CPU time: other processes' load does not count). */
function block(engine: ClusterEngine, from: number): number {
  const c0 = process.cpuUsage();
  feed(engine, from, from + BLOCK);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / BLOCK;
}

feed(createClusterEngine(), 0, 60_000); // JIT warm-up on a throwaway engine
gc();
const tAll = performance.now();
// a young engine (EARLY events of history) and an old one (≈ TOTAL events), positioned on the same templates
const young = createClusterEngine();
feed(young, 0, EARLY);
const lateFrom = Math.ceil(TOTAL / T) * T + EARLY; // ≡ EARLY (mod T): the same templates as the young engine's
const old = createClusterEngine();
feed(old, 0, lateFrom);
const earlyStats = young.stats();
const earlyHeap = process.memoryUsage().heapUsed;
// interleaved blocks, alternating which engine goes first, so both see the same machine load
gc();
const early = { blocks: [] as number[], us: 0 };
const late = { blocks: [] as number[], us: 0 };
for (let b = 0; b < BLOCKS; b++) {
  const order: [ClusterEngine, number, number[]][] = [
    [young, EARLY + b * BLOCK, early.blocks],
    [old, lateFrom + b * BLOCK, late.blocks],
  ];
  if (b % 2) order.reverse();
  for (const [engine, from, out] of order) out.push(block(engine, from));
}
early.us = median(early.blocks);
late.us = median(late.blocks);
const seconds = (performance.now() - tAll) / 1000;
const observed = EARLY + lateFrom + 2 * BLOCKS * BLOCK;
gc();
const lateStats = old.stats();
const lateHeap = process.memoryUsage().heapUsed;
sampleHeap();

const ratio = late.us / early.us;
const result = {
  events: observed,
  templates: T,
  earlyUsPerEvent: early.us,
  lateUsPerEvent: late.us,
  ratio,
  target: 1.5,
  pass: ratio <= 1.5,
  eventsPerSecond: observed / seconds,
  peakHeapBytes: peakHeap,
  heapAfterEarly: earlyHeap,
  heapAfterLate: lateHeap,
  earlyStats,
  lateStats,
  blocks: { early: early.blocks, late: late.blocks },
};
console.log(`per event after ${EARLY.toLocaleString('en-US')} events:    ${early.us.toFixed(2)} µs  (blocks ${early.blocks.map((x) => x.toFixed(1)).join(', ')})`);
console.log(`per event after ${lateFrom.toLocaleString('en-US')} events: ${late.us.toFixed(2)} µs  (blocks ${late.blocks.map((x) => x.toFixed(1)).join(', ')})`);
console.log(`ratio ${ratio.toFixed(2)}× (target ≤ 1.5×) ${result.pass ? 'PASS' : 'FAIL'}`);
console.log(`throughput ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s over ${observed.toLocaleString('en-US')} events (${seconds.toFixed(1)} s)`);
console.log(`heap: peak ${mib(peakHeap)}, after early ${mib(earlyHeap)}, at the end ${mib(lateHeap)} (after GC)`);
console.log('engine state early', JSON.stringify(earlyStats));
console.log('engine state late ', JSON.stringify(lateStats));
fs.mkdirSync(path.resolve(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.resolve(import.meta.dirname, 'results/clustering.json'), JSON.stringify(result, null, 2));
writeReport('clustering', [
  {
    metric: `cost per event after ${lateFrom.toLocaleString('en-US')} events`,
    value: +late.us.toFixed(2),
    unit: 'µs',
    baseline: { label: `after ${EARLY.toLocaleString('en-US')} events`, value: +early.us.toFixed(2), unit: 'µs' },
    ratio: +ratio.toFixed(3),
    target: 'ratio ≤ 1.5',
    met: result.pass,
  },
  { metric: 'clustering throughput', value: Math.round(result.eventsPerSecond), unit: 'events/s', target: null, met: null },
]);
