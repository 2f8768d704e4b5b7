import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { replayFile } from '@/lib/feed/replay';
import type { FeedSpec } from '@/lib/ingest/ingester';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { testContext } from './context';

/** Shared pieces of the ingest integration tests: real-data slices, their identities, a replay spec. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const IRC_DAY = path.join(ROOT, 'fixtures/realdata/druid-wikiticker-2015-09-12-irc-recentchanges.jsonl.gz');
export const ES_SAMPLE = path.join(ROOT, 'fixtures/realdata/eventstreams-enwiki-2023-07-29-sample100.jsonl');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mp-${prefix}-`));
}

/** The non-empty lines of a (possibly gzipped) JSONL file. */
export function fileLines(file: string): string[] {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter((l) => l.length > 0);
}

/** Write lines [from, to) of the real 2015 day to `dest` (plain JSONL). */
export function sliceIrcDay(dest: string, to: number, from = 0): string {
  fs.writeFileSync(dest, `${fileLines(IRC_DAY).slice(from, to).join('\n')}\n`);
  return dest;
}

export const key = (wiki: string, sourceId: string) => `${wiki}\u0000${sourceId}`;

export interface InputIdentities {
  /** wiki + sourceId of every event the parser accepts, in file order */
  keys: string[];
  /** the raw IPs of anonymous editors in the file */
  anonIps: string[];
  dead: number;
}

/** What the parsers make of a file: the identities that must end up stored exactly once. */
export async function inputIdentities(file: string): Promise<InputIdentities> {
  const keys: string[] = [];
  const ips = new Set<string>();
  let dead = 0;
  for await (const item of replayFile(file, { time: 'original' })) {
    if (item.kind === 'edit') {
      keys.push(key(item.edit.wiki, item.edit.sourceId));
      if (item.edit.isAnon) ips.add(item.edit.user);
    } else if (item.kind === 'dead-letter') dead++;
  }
  return { keys, anonIps: [...ips], dead };
}

/** A replay feed over a file that resumes from the stored cursor (as lib/ingest/feeds.ts builds it). */
export function replaySpec(file: string, name = `replay:${path.basename(file)}`): FeedSpec {
  return { name, open: (cursor, signal) => replayFile(file, { fromCursor: cursor, signal, time: 'original' }) };
}

/** A masker on a fresh key store in `keysDir` (created on first use), with the shipped IP context on. */
export function testMasker(keysDir: string): Masker {
  return new Masker({ keys: new KeyRing(keysDir), limits: { v4: 16, v6: 19 }, context: testContext() });
}

/** Create the key store's first epoch and today's vault key now (so child processes never race to). */
export function prepareKeys(keysDir: string): void {
  const ring = new KeyRing(keysDir);
  ring.currentEpoch();
  ring.todayVaultKey();
}

type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Every stored edit's identity (one entry per row, so duplicates would show). */
export async function storedKeys(sql: Sql): Promise<string[]> {
  return (await sql('SELECT wiki, "sourceId" FROM edit')).map((r) => key(String(r.wiki), String(r.sourceId)));
}

/** Stored identities equal the input exactly once: same set, same count, no duplicate row. */
export function exactlyOnce(stored: string[], input: string[]): { missing: number; extra: number; duplicates: number; count: number } {
  const s = new Set(stored);
  const i = new Set(input);
  return {
    missing: [...i].filter((k) => !s.has(k)).length,
    extra: [...s].filter((k) => !i.has(k)).length,
    duplicates: stored.length - s.size,
    count: stored.length - input.length,
  };
}
