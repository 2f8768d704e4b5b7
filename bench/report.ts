import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The machine-readable result every benchmark writes beside its own output: bench/results/report-<name>.json
 * (gitignored), read by `npm run bench` (bench/all.ts) to print one table. One row per headline metric:
 * its value, the baseline measured in the same run (when the metric has one) and their ratio, the target
 * and whether it was met (null: no target).
 */
export interface ReportRow {
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number; unit: string } | null;
  /** value ÷ baseline, in the metric's own direction (a rate below its baseline rate gives < 1) */
  ratio?: number | null;
  target?: string | null;
  met?: boolean | null;
}

export interface BenchReport {
  bench: string;
  date: string;
  node: string;
  cores: number;
  loadAverage: number[];
  rows: ReportRow[];
}

export const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');
export const reportFile = (bench: string) => path.join(RESULTS_DIR, `report-${bench}.json`);

export function writeReport(bench: string, rows: ReportRow[]): void {
  const report: BenchReport = {
    bench,
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    rows,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(reportFile(bench), `${JSON.stringify(report, null, 2)}\n`);
}

/** The value after `--name` on the command line, or undefined. */
export function cliArg(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
