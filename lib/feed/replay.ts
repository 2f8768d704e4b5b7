import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { LIMITS, isPlainObject, parseJsonSafe } from './limits';
import { splitLines } from './lines';
import { parseActionApiDocument } from './parse-action-api';
import { parseEventStreamsLine } from './parse-eventstreams';
import { irc2015ValueTime, parseIrc2015Line } from './parse-irc2015';
import type { FeedItem } from './result';
import type { SourceKind } from './types';

export type ReplayFormat = 'eventstreams' | 'action-api' | 'irc-2015';

export interface ReplayOptions {
  /** default 'auto' (see detectFormat) */
  format?: ReplayFormat | 'auto';
  /** wiki id for Action API files (the response does not name its wiki); default "unknownwiki" */
  wiki?: string;
  serverUrl?: string;
  /** 'shift' (default): move every timestamp by one offset so the LAST event is "now", keeping order
   *  and gaps (costs one extra read of the file); 'original': keep the recorded timestamps */
  time?: 'shift' | 'original';
  now?: () => number;
  /** resume: skip everything up to and including this cursor (a cursor from an earlier replay) */
  fromCursor?: string | null;
  signal?: AbortSignal;
}

/**
 * Replay a recorded feed file as FeedItems, streaming JSONL line by line (a single pretty-printed Action
 * API response is read whole, up to LIMITS.maxDocumentBytes). Cursors are "<line>" for JSONL and
 * "<line>:<row>" for Action API responses. Action API rows are replayed oldest-first within each
 * response (the API lists newest first by default). Bad lines become dead letters; nothing throws
 * except an unreadable file or an undetectable format.
 */
export async function* replayFile(path: string, opts: ReplayOptions = {}): AsyncGenerator<FeedItem> {
  const format = !opts.format || opts.format === 'auto' ? await detectFormat(path) : opts.format;
  if (!format) throw new Error('replay: cannot detect the file format; pass format explicitly');
  let offsetMs = 0;
  if ((opts.time ?? 'shift') === 'shift') {
    const last = await lastEditTime(path, format, opts);
    if (Number.isFinite(last)) offsetMs = (opts.now ?? Date.now)() - last;
  }
  const from = opts.fromCursor ? cursorKey(opts.fromCursor) : null;
  for await (const item of readFeedFile(path, format, opts)) {
    if (opts.signal?.aborted) return;
    if (from && item.cursor && compareKeys(cursorKey(item.cursor), from) <= 0) continue;
    // the item and its edit were just built by the parser and are not shared: shift in place, no copy per event
    if (item.kind === 'edit' && offsetMs !== 0) item.edit.timestamp = new Date(Date.parse(item.edit.timestamp) + offsetMs).toISOString();
    yield item;
  }
}

/**
 * The latest edit time in a file (-Infinity when it has no edits): the time shift's first pass. For the
 * 2015 IRC format each line is only parsed as JSON and its `time` read; the parser's full checks
 * (irc2015ValueTime) run just for lines that could raise the maximum, a chunk at a time from the latest
 * down until one passes — one line in a few hundred for a file in time order, every line at worst.
 */
async function lastEditTime(path: string, format: ReplayFormat, opts: ReplayOptions): Promise<number> {
  if (format === 'irc-2015') {
    let last = -Infinity;
    let candidates: { ms: number; value: unknown }[] = [];
    const settle = () => {
      candidates.sort((a, b) => b.ms - a.ms);
      for (const c of candidates) {
        if (c.ms <= last) break;
        if (irc2015ValueTime(c.value) !== null) last = c.ms;
      }
      candidates = [];
    };
    for await (const line of splitLines(openFile(path), { maxLineBytes: LIMITS.maxLineBytes })) {
      if (line.tooLong || isBlank(line.bytes)) continue;
      const json = parseJsonSafe(line.bytes);
      if (!json.ok || !isPlainObject(json.value)) continue;
      // a line the full check accepts has a string time whose Date.parse is the edit's time
      const time = json.value.time;
      const ms = typeof time === 'string' ? Date.parse(time) : NaN;
      if (!(ms > last)) continue;
      candidates.push({ ms, value: json.value });
      if (candidates.length >= LAST_TIME_CHUNK) settle();
    }
    settle();
    return last;
  }
  let last = -Infinity;
  for await (const item of readFeedFile(path, format, opts)) {
    if (item.kind === 'edit') last = Math.max(last, Date.parse(item.edit.timestamp));
  }
  return last;
}

const LAST_TIME_CHUNK = 256;

/** Read the first line of a file and recognise its format; null when unknown. */
export async function detectFormat(path: string): Promise<ReplayFormat | null> {
  const head = await readHead(path, 64 * 1024);
  const firstLine = head.trimStart().split('\n')[0]?.trim() ?? '';
  if (!firstLine.startsWith('{')) return null;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(firstLine) as Record<string, unknown>;
  } catch {
    // not a complete object on one line: a pretty-printed document, i.e. an Action API response
    return /"(query|batchcomplete|continue)"\s*:/.test(head) ? 'action-api' : null;
  }
  if ('meta' in obj || '$schema' in obj) return 'eventstreams';
  if ('channel' in obj && 'page' in obj) return 'irc-2015';
  if ('query' in obj || 'batchcomplete' in obj || 'continue' in obj) return 'action-api';
  return null;
}

/** A file's bytes as a stream; `.gz` files are decompressed on the fly (the shipped 2015 day is gzipped). */
export function openFile(path: string): Readable {
  // 256 KiB pieces (the defaults are 64 KiB reads and 16 KiB inflated chunks): a few hundred stream steps per
  // real day instead of thousands
  const raw = fs.createReadStream(path, { highWaterMark: READ_CHUNK });
  return path.endsWith('.gz') ? raw.pipe(zlib.createGunzip({ chunkSize: READ_CHUNK })) : raw;
}

const READ_CHUNK = 256 * 1024;

async function readHead(path: string, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = openFile(path);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

const SOURCE: Record<ReplayFormat, SourceKind> = { eventstreams: 'eventstreams', 'action-api': 'action-api', 'irc-2015': 'irc-2015' };

async function* readFeedFile(path: string, format: ReplayFormat, opts: ReplayOptions): AsyncGenerator<FeedItem> {
  const source = SOURCE[format];
  const dead = (reason: string, size: number, cursor: string): FeedItem => ({
    kind: 'dead-letter',
    deadLetter: { source, reason, size },
    cursor,
  });
  if (format === 'action-api' && !(await isJsonl(path))) {
    const stat = await fs.promises.stat(path);
    if (stat.size > LIMITS.maxDocumentBytes) {
      yield dead('file is larger than the size limit', stat.size, '1');
      return;
    }
    yield* actionApiItems(await fs.promises.readFile(path), 1, opts, dead);
    return;
  }
  const maxLineBytes = format === 'action-api' ? LIMITS.maxDocumentBytes : LIMITS.maxLineBytes;
  let n = 0;
  for await (const line of splitLines(openFile(path), { maxLineBytes })) {
    n++;
    const cursor = String(n);
    if (line.tooLong) {
      yield dead('line is larger than the size limit', line.size, cursor);
      continue;
    }
    if (isBlank(line.bytes)) continue;
    if (format === 'action-api') {
      yield* actionApiItems(line.bytes, n, opts, dead);
      continue;
    }
    const r = format === 'eventstreams' ? parseEventStreamsLine(line.bytes) : parseIrc2015Line(line.bytes);
    if (r.ok) yield { kind: 'edit', edit: r.edit, cursor };
    else if (!r.ignore) yield dead(r.reason, line.bytes.byteLength, cursor);
  }
}

function* actionApiItems(
  doc: Uint8Array,
  line: number,
  opts: ReplayOptions,
  dead: (reason: string, size: number, cursor: string) => FeedItem,
): Generator<FeedItem> {
  const parsed = parseActionApiDocument(doc, { wiki: opts.wiki ?? 'unknownwiki', serverUrl: opts.serverUrl ?? null });
  if (!parsed.ok) {
    yield dead(parsed.reason, doc.byteLength, String(line));
    return;
  }
  const rows = parsed.page.rows.map((row, i) => ({ ...row, i }));
  const time = (r: (typeof rows)[number]) => (r.result.ok ? `${r.result.edit.timestamp}|${String(r.result.edit.rcId).padStart(16, '0')}` : '');
  rows.sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : a.i - b.i));
  for (const [j, row] of rows.entries()) {
    const cursor = `${line}:${j + 1}`;
    if (row.result.ok) yield { kind: 'edit', edit: row.result.edit, cursor };
    else yield dead(row.result.reason, row.size, cursor);
  }
}

/** A pretty-printed document opens with a line that is just "{"; anything else is read as JSONL. */
async function isJsonl(path: string): Promise<boolean> {
  const first = (await readHead(path, 4096)).trimStart().split('\n')[0] ?? '';
  return first.trim() !== '{';
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function cursorKey(cursor: string): number[] {
  return cursor.split(':').map((p) => Number(p) || 0);
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
