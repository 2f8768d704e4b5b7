/**
 * npm run feed:replay -- <file> [--format auto|eventstreams|action-api|irc-2015] [--speed N | --max]
 *                        [--original-time] [--wiki WIKI] [--from-start]
 *
 * Replays a recorded feed file through the same pipeline the server ingests with (masking boundary →
 * storeBatch, exactly-once by identity, cursor `replay:<basename>` in the same transaction). Works on
 * PostgreSQL and on the embedded default, also while `npm start` runs (through the server's socket).
 * Progress on stderr (a bar on a terminal, a line every few seconds otherwise); the summary on stdout.
 * Exit codes: 0 done, 1 failed (database, unreadable content), 2 bad arguments or file, 130 interrupted.
 * Prints counts only: never an event, an IP or key material.
 */
import pino from 'pino';
import { createLogger, setLogger } from '../lib/log';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import { sharedIpContext } from '../lib/context/shared';
import { loadConfig } from '../lib/config';
import { newProgress, runReplay, type ReplayProgress, type ReplaySummary } from '../lib/ingest/replay-run';
import { checkReplayFile, countLines, parseReplayArgs, USAGE, UsageError, type ReplayArgs } from './feed-replay-args';
import { runTool } from './cli';

// logs go to stderr, so stdout holds only the summary
process.env.LOG_LEVEL ??= 'error';
setLogger(createLogger(pino.destination({ fd: 2, sync: true })));

let args: ReplayArgs;
let format: Awaited<ReturnType<typeof checkReplayFile>>;
try {
  args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  loadConfig(); // a bad environment is reported before anything is read
  format = await checkReplayFile(args.file, args.format);
} catch (err) {
  console.error(`feed:replay: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof UsageError) console.error(USAGE);
  process.exit(err instanceof UsageError ? 2 : 1);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function progressLine(p: ReplayProgress, total: number | null, t0: number, tty: boolean): string {
  const secs = (performance.now() - t0) / 1000;
  const rate = secs > 0 ? p.read / secs : 0;
  const counts = `${fmt(p.read)} read · ${fmt(p.stored)} stored · ${fmt(p.duplicates)} duplicates · ${fmt(p.dead)} dead-lettered · ${fmt(rate)} events/s`;
  const line = Number.parseInt(p.cursor ?? '0', 10) || 0;
  if (!total) return counts;
  const frac = Math.min(1, line / total);
  if (!tty) return `${(frac * 100).toFixed(0)}% (line ${fmt(line)} of ${fmt(total)}) · ${counts}`;
  const width = 24;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${counts}`;
}

function printSummary(s: ReplaySummary, via: string) {
  const out = [
    `replayed ${args.file} (${format}) into ${s.feed} via ${via}`,
    `  events read:    ${fmt(s.read)}`,
    `  stored:         ${fmt(s.stored)}`,
    `  duplicates:     ${fmt(s.duplicates)}`,
    `  dead-lettered:  ${fmt(s.dead)}`,
    `  events/s:       ${fmt(s.eventsPerSecond)} (${s.seconds.toFixed(1)} s)`,
  ];
  if (s.stored === 0 && !s.error && !s.interrupted) {
    if (s.read === 0 && s.startCursor !== null)
      out.push(`nothing new: this file was already replayed (up to position ${s.startCursor}); --from-start reads it again, skipping stored events`);
    else if (s.read > 0 && s.duplicates > 0) out.push('nothing new: every event in this file is already stored');
    else out.push('nothing new: the file holds no events to store');
  }
  if (s.interrupted) out.push(`interrupted at position ${s.endCursor ?? 'start'}; run the same command to resume`);
  console.log(out.join('\n'));
  if (s.error) console.error(`feed:replay: the file could not be read to the end (${s.error}); what was read before is stored`);
}

await runTool('feed:replay', async ({ prisma, via }) => {
  const tables = await prisma.$queryRawUnsafe<{ ok: boolean }[]>(
    `SELECT to_regclass('public.feed_state') IS NOT NULL AND to_regclass('public.edit') IS NOT NULL AS ok`,
  );
  if (!tables[0]?.ok) throw new Error('the database has no ingest tables yet: run `npm run db:migrate` (or `npm start`) first');
  const config = loadConfig();
  const masker = new Masker({ keys: new KeyRing(config.keysDir), context: sharedIpContext() });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const tty = process.stderr.isTTY === true;
  const total = await countLines(args.file);
  const progress = newProgress();
  const t0 = performance.now();
  const render = () => {
    if (tty) process.stderr.write(`\r${progressLine(progress, total, t0, true)}\x1b[K`);
    else process.stderr.write(`feed:replay: ${progressLine(progress, total, t0, false)}\n`);
  };
  const timer = setInterval(render, tty ? 200 : 5000);
  let summary: ReplaySummary;
  try {
    summary = await runReplay({
      file: args.file,
      format,
      speed: args.speed,
      originalTime: args.originalTime,
      wiki: args.wiki,
      fromStart: args.fromStart,
      prisma,
      masker,
      signal: abort.signal,
      progress,
    });
  } finally {
    clearInterval(timer);
    if (tty) {
      render();
      process.stderr.write('\n');
    }
  }
  printSummary(summary, via);
  if (summary.interrupted) return 130;
  return summary.error ? 1 : 0;
});
