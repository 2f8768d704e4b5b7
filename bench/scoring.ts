/**
 * npm run bench:scoring [-- --events 200000]
 *
 * Revert-risk scoring throughput on one core: the real 2015 day (masked once, up front) scored in a loop
 * by a fresh scorer per pass, so history lookups, revert credits and LRU evictions are all exercised.
 * Masking is not timed (bench:masking measures it).
 */
import { createHmac, randomBytes } from 'node:crypto';
import os from 'node:os';
import { createScorer } from '../lib/scoring/score';
import { DAY2015, maskFile } from '../scripts/eval-scoring-data';
import { writeReport } from './report';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--events') + 1]) || 200_000;

const { edits } = await maskFile(DAY2015);
const run = (n: number) => {
  let scorer = createScorer();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const j = i % edits.length;
    if (j === 0) scorer = createScorer();
    sink += scorer.score(edits[j]!).score;
  }
  return sink;
};
run(Math.min(N, 20_000)); // warm-up
const t = process.hrtime.bigint();
run(N);
const s = Number(process.hrtime.bigint() - t) / 1e9;
const key = randomBytes(32);
const h0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) createHmac('sha256', key).update('198.51.100.7').digest();
const hs = Number(process.hrtime.bigint() - h0) / 1e9;
console.log(`maskpatrol scoring benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? ''}`);
console.log(`${N.toLocaleString('en-US')} events (real 2015 day, ${edits.length.toLocaleString('en-US')} distinct, looped): ` +
  `${Math.round(N / s).toLocaleString('en-US')} events/s, ${((s / N) * 1e6).toFixed(2)} µs each`);
writeReport('scoring', [
  {
    metric: 'revert-risk score per event',
    value: +((s / N) * 1e6).toFixed(2),
    unit: 'µs',
    baseline: { label: 'bare HMAC-SHA-256', value: +((hs / N) * 1e6).toFixed(2), unit: 'µs' },
    ratio: +(s / hs).toFixed(2),
    target: null,
    met: null,
  },
]);
console.log(`baseline, same run: bare HMAC-SHA-256 ${((hs / N) * 1e6).toFixed(2)} µs each → scoring costs ${(s / hs).toFixed(1)} HMACs`);
