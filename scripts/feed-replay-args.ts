/** Argument parsing and checks for `npm run feed:replay` (pure: no database, no side effects but reading the file's head). */
import fs from 'node:fs';
import { parseSpeed, type Speed } from '../lib/feed/pacing';
import { detectFormat, openFile, type ReplayFormat } from '../lib/feed/replay';

export const USAGE = `usage: npm run feed:replay -- <file> [--format auto|eventstreams|action-api|irc-2015] [--speed N | --max]
                           [--original-time] [--wiki WIKI] [--from-start]

  Replays a recorded feed file (EventStreams JSON lines, Action API responses, the 2015 IRC-feed JSONL;
  .gz too) through the ingest pipeline into the configured database. Default speed: --max (no waiting);
  --speed N paces the events at N× their recorded pace. Timestamps are shifted so the last event is now
  unless --original-time. --wiki names the wiki of an Action API file. A second replay of the same file
  resumes after the last stored line; --from-start reads it again (stored events are skipped).`;

const FORMATS = ['auto', 'eventstreams', 'action-api', 'irc-2015'] as const;
const VALUE_OPTIONS = new Set(['format', 'speed', 'wiki']);
const FLAGS = new Set(['max', 'original-time', 'from-start', 'help']);

export interface ReplayArgs {
  file: string;
  format: ReplayFormat | 'auto';
  speed: Speed;
  originalTime: boolean;
  wiki?: string;
  fromStart: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseReplayArgs(argv: string[]): ReplayArgs {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq >= 0 ? eq : undefined);
    if (VALUE_OPTIONS.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`);
      values[name] = v;
    } else if (FLAGS.has(name) && eq < 0) flags.add(name);
    else throw new UsageError(`unknown option --${name.slice(0, 40)}`);
  }
  if (flags.has('help')) return { file: '', format: 'auto', speed: 'max', originalTime: false, fromStart: false, help: true };
  if (positional.length === 0) throw new UsageError('name the file to replay');
  if (positional.length > 1) throw new UsageError('name exactly one file');
  const format = (values.format ?? 'auto') as ReplayArgs['format'];
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (values.speed !== undefined && flags.has('max')) throw new UsageError('use --speed N or --max, not both');
  let speed: Speed = 'max';
  if (values.speed !== undefined) {
    const s = parseSpeed(values.speed);
    if (s === null) throw new UsageError('--speed must be a positive number (e.g. 10) or max');
    speed = s;
  }
  if (values.wiki !== undefined && !/^[a-z][a-z0-9_]{0,63}$/.test(values.wiki))
    throw new UsageError('--wiki must be a wiki id such as enwiki or lvwiki');
  return {
    file: positional[0]!,
    format,
    speed,
    originalTime: flags.has('original-time'),
    wiki: values.wiki,
    fromStart: flags.has('from-start'),
    help: false,
  };
}

/** The file must be a readable regular file whose format is known (or detectable). */
export async function checkReplayFile(file: string, format: ReplayArgs['format']): Promise<ReplayFormat> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'error')}`);
  }
  if (!stat.isFile()) throw new UsageError(`cannot read ${file}: not a regular file`);
  try {
    // reads the head (and so checks that a .gz file decompresses)
    const detected = await detectFormat(file);
    if (format !== 'auto') return format;
    if (!detected)
      throw new UsageError(`cannot detect the format of ${file}; pass --format eventstreams|action-api|irc-2015`);
    return detected;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message.slice(0, 120)}`);
  }
}

/**
 * Lines in the file, for the progress bar; null when the file is one pretty-printed document (its
 * cursor counts rows, not lines) or cannot be counted.
 */
export async function countLines(file: string): Promise<number | null> {
  let lines = 0;
  let first = true;
  let trailing = false;
  try {
    for await (const chunk of openFile(file)) {
      const b = chunk as Buffer;
      if (first) {
        first = false;
        if (b.toString('utf8', 0, Math.min(b.length, 64)).trimStart().split('\n')[0]?.trim() === '{') return null;
      }
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
      trailing = b.length > 0 && b[b.length - 1] !== 10;
    }
  } catch {
    return null;
  }
  return lines + (trailing ? 1 : 0);
}
