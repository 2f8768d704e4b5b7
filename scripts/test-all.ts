/**
 * `npm test`: the whole suite, the same command locally and in CI.
 *   lint → typecheck → unit + integration (PGlite and PostgreSQL) → build → Playwright e2e in Chromium.
 * PostgreSQL: TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres). When it is
 * unreachable the run says so loudly and skips those tests — except under CI, where that is a failure.
 * Chromium: Debian's package; installed here when missing and running as root.
 * MediaWiki (the real-wiki round trip, tests/helpers/mediawiki.ts): Debian's mediawiki and PHP packages, installed
 * here the same way; the throwaway wiki's template is built once before the tests.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { ensureBuild } from './build';
import { ensureMediaWikiPackages, mediaWikiTemplate } from '../tests/helpers/mediawiki';

const CI = !!process.env.CI && process.env.CI !== 'false';
const PG_URL = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const results: { step: string; ok: boolean; passed?: number; failed?: number; skipped?: number }[] = [];

function banner(text: string) {
  console.log(`\n${'='.repeat(78)}\n${text}\n${'='.repeat(78)}`);
}

function run(step: string, cmd: string, args: string[], opts: SpawnSyncOptions = {}): boolean {
  banner(`▶ ${step}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  const ok = r.status === 0;
  results.push({ step, ok });
  return ok;
}

const npx = (bin: string) => `node_modules/.bin/${bin}`;

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

function chromiumPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0]! : null;
}

function ensureChromium(): boolean {
  if (chromiumPath()) return true;
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing. Install Debian\'s package (as root): apt-get update && apt-get install -y chromium');
    return false;
  }
  banner('▶ installing Debian\'s chromium for the browser tests (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], { stdio: 'inherit', env });
  return !!chromiumPath();
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function main() {
  fs.rmSync('test-results', { recursive: true, force: true });
  fs.mkdirSync('test-results', { recursive: true });

  run('lint (eslint)', npx('eslint'), ['.', '--max-warnings=0']);
  run('typecheck (tsc)', npx('tsc'), ['--noEmit']);

  banner('▶ MediaWiki for the round-trip tests (Debian packages, template wiki)');
  let wikiOk = ensureMediaWikiPackages((s) => banner(`▶ ${s}`));
  if (wikiOk) {
    const t0 = Date.now();
    try {
      console.log(`template wiki ready in ${mediaWikiTemplate()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      console.error(String(e));
      wikiOk = false;
    }
  }
  results.push({ step: 'MediaWiki available', ok: wikiOk });

  const projects = ['unit', 'integration-pglite'];
  if (await postgresReachable()) projects.push('integration-postgres');
  else {
    banner(`!!! PostgreSQL is NOT reachable at ${PG_URL.replace(/\/\/[^@]*@/, '//…@')}\n!!! The PostgreSQL integration tests are SKIPPED.${CI ? '\n!!! Under CI this is a failure.' : '\n!!! Start PostgreSQL or set TEST_DATABASE_URL to run them.'}`);
    results.push({ step: 'PostgreSQL reachable', ok: !CI });
  }
  const vitestOut = 'test-results/vitest-results.json';
  const vOk = run(`unit + integration tests (vitest: ${projects.join(', ')})`, npx('vitest'), [
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestOut}`,
  ]);
  const v = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number }>(vitestOut);
  Object.assign(results[results.length - 1]!, { ok: vOk, passed: v?.numPassedTests ?? 0, failed: v?.numFailedTests ?? (vOk ? 0 : 1), skipped: v?.numPendingTests ?? 0 });

  banner('▶ build (next build, when sources changed)');
  let built = true;
  try {
    ensureBuild();
  } catch (e) {
    console.error(String(e));
    built = false;
  }
  results.push({ step: 'build', ok: built });

  if (!ensureChromium()) results.push({ step: 'chromium available', ok: false });
  else if (built) {
    const eOk = run('end-to-end tests (Playwright, Chromium)', npx('playwright'), ['test']);
    const e = readJson<{ stats: { expected: number; unexpected: number; skipped: number; flaky: number } }>('test-results/e2e-results.json');
    Object.assign(results[results.length - 1]!, { passed: (e?.stats.expected ?? 0) + (e?.stats.flaky ?? 0), failed: e?.stats.unexpected ?? (eOk ? 0 : 1), skipped: e?.stats.skipped ?? 0 });
  }

  banner('Summary');
  for (const r of results)
    console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.step}${r.passed !== undefined ? ` — ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` : ''}`);
  const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
  const failedSteps = results.filter((r) => !r.ok);
  // a failed step with no failed test (it crashed, or it was not a test runner) still counts as one failure
  const failed = results.reduce((n, r) => n + (r.ok ? (r.failed ?? 0) : Math.max(1, r.failed ?? 0)), 0);
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(failedSteps.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
