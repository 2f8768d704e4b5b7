import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayFile } from '@/lib/feed/replay';
import { REPLAY_CHUNK, replayInWorker } from '@/lib/feed/replay-thread';
import type { FeedItem } from '@/lib/feed/result';
import { ES_SAMPLE, IRC_SAMPLE, LV_SAMPLE, lines } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maskpatrol-replay-thread-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function all(it: AsyncIterable<FeedItem>): Promise<FeedItem[]> {
  const out: FeedItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('replay on a worker thread', () => {
  it.each([
    ['EventStreams JSONL', ES_SAMPLE, {}],
    ['an Action API response', LV_SAMPLE, { wiki: 'lvwiki' }],
    ['the 2015 IRC day (gzipped, many chunks)', IRC_SAMPLE, {}],
  ])('yields exactly what replayFile yields, in order: %s', async (_name, file, opts) => {
    const direct = await all(replayFile(file, { ...opts, time: 'original' }));
    const threaded = await all(replayInWorker(file, { ...opts, time: 'original' }));
    expect(threaded).toEqual(direct);
  });

  it('keeps dead letters and cursors of bad lines, and resumes after a cursor', async () => {
    const file = path.join(tmp, 'mixed.jsonl');
    const good = lines(IRC_SAMPLE).slice(0, 3 * REPLAY_CHUNK);
    fs.writeFileSync(file, [...good.slice(0, 5), '{"broken', ...good.slice(5)].join('\n'));
    const direct = await all(replayFile(file, { format: 'irc-2015', time: 'original', fromCursor: '3' }));
    const threaded = await all(replayInWorker(file, { format: 'irc-2015', time: 'original', fromCursor: '3' }));
    expect(threaded).toEqual(direct);
    expect(threaded.filter((x) => x.kind === 'dead-letter')).toHaveLength(1);
    expect(threaded[0]?.cursor).toBe('4');
  });

  it('shifts time in the worker as replayFile does (the last edit is now)', async () => {
    const before = Date.now();
    const items = await all(replayInWorker(ES_SAMPLE));
    const last = Math.max(...items.flatMap((x) => (x.kind === 'edit' ? [Date.parse(x.edit.timestamp)] : [])));
    expect(last).toBeGreaterThanOrEqual(before);
    expect(last).toBeLessThanOrEqual(Date.now());
  });

  it('rethrows file-level errors with their message', async () => {
    const file = path.join(tmp, 'unknown.txt');
    fs.writeFileSync(file, 'not a feed\n');
    await expect(all(replayInWorker(file))).rejects.toThrow(/cannot detect the file format/);
    await expect(all(replayInWorker(path.join(tmp, 'missing.jsonl'), { format: 'eventstreams' }))).rejects.toThrow(/ENOENT/);
  });

  it('stops when the signal aborts or the consumer leaves early', async () => {
    const stop = new AbortController();
    let n = 0;
    for await (const _ of replayInWorker(IRC_SAMPLE, { time: 'original', signal: stop.signal })) {
      if (++n === 10) stop.abort();
    }
    expect(n).toBe(10);
    const first: FeedItem[] = [];
    for await (const x of replayInWorker(IRC_SAMPLE, { time: 'original' })) {
      first.push(x);
      if (first.length === 3) break;
    }
    expect(first.map((x) => x.cursor)).toEqual(['1', '2', '3']);
  });
});
