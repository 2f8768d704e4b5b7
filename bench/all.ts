/**
 * npm run bench [-- --only masking,scoring] [--skip entities] [--table-only]
 *
 * Runs every benchmark below in turn (each as its own `npm run bench:<name>`, with its usual console output),
 * then prints one table from the reports they write (bench/report.ts → bench/results/report-<name>.json):
 * benchmark, metric, value, baseline, ratio, target, met — plus the machine it ran on. Also writes the table
 * as Markdown to bench/results/summary.md (what the README's benchmark section shows).
 *
 * --table-only runs nothing and prints the table from the reports already in bench/results (each row keeps the
 * date and load average of its own run in report-<name>.json).
 *
 * Adding a benchmark is one line in BENCHES (its script must call writeReport). An entry whose npm script
 * does not exist yet is listed as "not present" and skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportFile, RESULTS_DIR, type BenchReport } from './report';

const BENCHES: { name: string; script: string; args?: string[] }[] = [
  { name: 'masking', script: 'bench:masking' },
  { name: 'ingest', script: 'bench:ingest', args: ['--db', 'both'] },
  { name: 'scoring', script: 'bench:scoring' },
  { name: 'clustering', script: 'bench:clustering' },
  { name: 'entities', script: 'bench:entities', args: ['--http'] },
  { name: 'audit', script: 'bench:audit' },
  { name: 'blocks', script: 'bench:blocks' },
  { name: 'context', script: 'bench:context' },
];

const argv = process.argv.slice(2);
const list = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1]!.split(',') : null);
const only = list('--only');
const skip = list('--skip') ?? [];
const TABLE_ONLY = argv.includes('--table-only');
const scripts = (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

const machine = () => ({
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? '?',
  memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
});

const startMachine = machine();
const status = new Map<string, string>();
fs.mkdirSync(RESULTS_DIR, { recursive: true });
for (const b of BENCHES) {
  if ((only && !only.includes(b.name)) || skip.includes(b.name)) continue;
  if (!scripts[b.script]) {
    status.set(b.name, `not present (no npm script ${b.script})`);
    continue;
  }
  if (TABLE_ONLY) {
    status.set(b.name, fs.existsSync(reportFile(b.name)) ? 'ran (an earlier run)' : 'no report yet');
    continue;
  }
  fs.rmSync(reportFile(b.name), { force: true });
  console.log(`\n${'='.repeat(78)}\n▶ npm run ${b.script}${b.args ? ` -- ${b.args.join(' ')}` : ''}  (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})\n${'='.repeat(78)}`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', b.script, ...(b.args ? ['--', ...b.args] : [])], { stdio: 'inherit' });
  const s = ((Date.now() - t0) / 1000).toFixed(0);
  status.set(b.name, r.status === 0 ? `ran in ${s} s` : `exited with ${r.status ?? r.signal} after ${s} s`);
}

const reports: BenchReport[] = [];
for (const b of BENCHES) {
  if (!status.get(b.name)?.startsWith('ran') && !status.get(b.name)?.startsWith('exited')) continue;
  try {
    reports.push(JSON.parse(fs.readFileSync(reportFile(b.name), 'utf8')) as BenchReport);
  } catch {
    status.set(b.name, `${status.get(b.name)}; wrote no report`);
  }
}

const num = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(+v.toPrecision(4)));
const head = ['benchmark', 'metric', 'value', 'baseline (same run)', 'ratio', 'target', 'met?'];
const rows = reports.flatMap((r) =>
  r.rows.map((row) => [
    r.bench,
    row.metric,
    `${num(row.value)} ${row.unit}`,
    row.baseline ? `${row.baseline.label}: ${num(row.baseline.value)} ${row.baseline.unit}` : '—',
    row.ratio === null || row.ratio === undefined ? '—' : `×${row.ratio}`,
    row.target ?? '—',
    row.met === null || row.met === undefined ? '—' : row.met ? 'yes' : '**NO**',
  ]),
);
const end = machine();
// each report carries the 1-minute load average at its benchmark's end: the table's machine line spans them all
const loads = [startMachine.loadAverage[0]!, end.loadAverage[0]!, ...reports.map((r) => r.loadAverage[0]!)];
const dates = reports.map((r) => r.date).sort();
const busy = Math.max(...loads) > 2;
const machineLine =
  `${end.cpus} × ${end.cpu}, ${end.memoryGiB} GiB, node ${end.node}; benchmarks run ${dates[0]?.slice(0, 16).replace('T', ' ') ?? '—'}–` +
  `${dates.at(-1)?.slice(11, 16) ?? '—'} UTC; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` +
  `${busy ? ' — TAKEN UNDER LOAD (> 2): absolute numbers are pessimistic, ratios less so' : ''}`;

const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
const table = [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
const notes = [...status].filter(([, s]) => !s.startsWith('ran')).map(([n, s]) => `- ${n}: ${s}`);
console.log(`\n${'='.repeat(78)}\nBenchmark report — ${new Date().toISOString()}\n${machineLine}\n${'='.repeat(78)}\n${table}${notes.length ? `\n\n${notes.join('\n')}` : ''}`);
fs.writeFileSync(
  path.join(RESULTS_DIR, 'summary.md'),
  `${machineLine}.\n\n${table}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`,
);
fs.writeFileSync(path.join(RESULTS_DIR, 'summary.json'), `${JSON.stringify({ machine: { start: startMachine, end }, status: Object.fromEntries(status), reports }, null, 2)}\n`);
console.log(`\nMarkdown: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'summary.md'))}`);
process.exit([...status.values()].some((s) => s.startsWith('exited') || s.includes('wrote no report')) ? 1 : 0);
