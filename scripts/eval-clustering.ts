/**
 * npm run eval:clustering [-- --file <jsonl[.gz]>] [--no-write]
 *
 * The real 2015 day (fixtures/realdata, 39,244 events) through the real parser, the masking boundary (a
 * throwaway key store) and the cluster engine, in file order with the recorded timestamps. Every cluster
 * the engine ever reported is kept (closed clusters leave the engine's memory after config.retainClosedMs),
 * then: the cluster size distribution and the ten hottest clusters (by peak heat) with their reasons.
 * Prints pseudonyms only (IP-…, R24-…), never an address. Unless --no-write, the same Markdown replaces
 * the block between the eval markers in docs/clustering.md. Each edit is scored by lib/scoring first, in
 * arrival order, exactly as the ingester does, so "likely damaging" evidence is what production sees.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClusterEngine } from '../lib/clustering/engine';
import type { ClusterSnapshot } from '../lib/clustering/types';
import { replayFile } from '../lib/feed/replay';
import { DEFAULT_REPLAY_FILE } from '../lib/ingest/feeds';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import { createScorer } from '../lib/scoring/score';

const argv = process.argv.slice(2);
const fileArg = argv.indexOf('--file');
const FILE = path.resolve(fileArg >= 0 ? (argv[fileArg + 1] ?? '') : DEFAULT_REPLAY_FILE);
const WRITE = !argv.includes('--no-write');
const DOC = path.resolve(import.meta.dirname, '../docs/clustering.md');
const START = '<!-- eval:clustering:start -->';
const END = '<!-- eval:clustering:end -->';

const keys = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-eval-cluster-'));
try {
  const masker = new Masker({ keys: new KeyRing(path.join(keys, 'keys')), limits: { v4: 16, v6: 19 } });
  const engine = createClusterEngine();
  const scorer = createScorer();
  const seen = new Map<string, ClusterSnapshot>();
  const members = new Set<string>();
  let events = 0;
  let memberEdits = 0;
  let clusteredEdits = 0;
  let mark = engine.mark();
  const t0 = performance.now();
  const collect = () => {
    for (const s of engine.changedSince(mark)) seen.set(s.id, s);
    mark = engine.mark();
  };
  for await (const item of replayFile(FILE, { time: 'original' })) {
    if (item.kind !== 'edit') continue;
    const { masked } = masker.maskEdit(item.edit);
    const r = engine.observe({ id: String(++events), edit: masked, score: scorer.score(masked).score });
    if (r.memberKey) {
      memberEdits++;
      members.add(r.memberKey);
      if (r.clusterId) clusteredEdits++;
    }
    if (events % 500 === 0) collect();
  }
  engine.tick(Number.MAX_SAFE_INTEGER / 2); // close everything still open
  collect();
  const secs = (performance.now() - t0) / 1000;

  const clusters = [...seen.values()].filter((s) => s.status !== 'merged');
  const sizes = clusters.map((s) => s.memberCount);
  const inClusters = sizes.reduce((a, b) => a + b, 0);
  const bins: [string, (n: number) => boolean][] = [
    ['2', (n) => n === 2], ['3', (n) => n === 3], ['4–5', (n) => n >= 4 && n <= 5], ['6–10', (n) => n >= 6 && n <= 10],
    ['11–20', (n) => n >= 11 && n <= 20], ['21+', (n) => n > 20],
  ];
  const hottest = [...clusters].sort((a, b) => b.peakHeat - a.peakHeat).slice(0, 10);
  const lines = [
    `Run: \`npm run eval:clustering\` — ${events.toLocaleString('en-US')} events (${memberEdits.toLocaleString('en-US')} by ${members.size.toLocaleString('en-US')} IP editors; registered users and bots are not clustered), default config, scored by lib/scoring, ${secs.toFixed(1)} s including parsing and masking.`,
    '',
    `${clusters.length} clusters (plus ${seen.size - clusters.length} merged into others) hold ${inClusters} of ${members.size} IP editors (${((100 * inClusters) / Math.max(1, members.size)).toFixed(1)} %) and ${clusteredEdits} of ${memberEdits} of their edits as they arrived (edits made before an actor joined a cluster are not counted here). Largest cluster: ${Math.max(0, ...sizes)} members.`,
    '',
    '| members | clusters |',
    '|---|---|',
    ...bins.map(([label, f]) => `| ${label} | ${sizes.filter(f).length} |`),
    '',
    'The ten hottest clusters (peak heat; heat = decayed edit count, half-life 30 min):',
    '',
    '| # | peak heat | members | edits | wikis | time (UTC) | reasons |',
    '|---|---|---|---|---|---|---|',
    ...hottest.map((s, i) =>
      `| ${i + 1} | ${s.peakHeat.toFixed(1)} | ${s.memberCount} | ${s.editCount} | ${s.wikis.join(', ')} | ${s.firstSeen.slice(11, 16)}–${s.lastSeen.slice(11, 16)} | ${s.reasons.join('; ').replace(/\|/g, '\\|')} |`,
    ),
  ];
  const md = lines.join('\n');
  console.log(md);
  if (WRITE) {
    const doc = fs.readFileSync(DOC, 'utf8');
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`docs/clustering.md lacks the ${START} … ${END} markers`);
    fs.writeFileSync(DOC, `${doc.slice(0, a + START.length)}\n${md}\n${doc.slice(b)}`);
    console.log(`\nwritten to ${path.relative(process.cwd(), DOC)}`);
  }
} finally {
  fs.rmSync(keys, { recursive: true, force: true });
}
