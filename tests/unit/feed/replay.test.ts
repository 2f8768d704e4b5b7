import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pace, parseSpeed } from '@/lib/feed/pacing';
import { detectFormat, replayFile } from '@/lib/feed/replay';
import type { FeedItem } from '@/lib/feed/result';
import { ES_SAMPLE, IRC_SAMPLE, LV_SAMPLE, lines } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maskpatrol-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function all(it: AsyncIterable<FeedItem>): Promise<FeedItem[]> {
  const out: FeedItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const edits = (xs: FeedItem[]) => xs.flatMap((x) => (x.kind === 'edit' ? [x.edit] : []));
const NOW = Date.parse('2030-01-01T12:00:00Z');

describe('replay of recorded files', () => {
  it('detects the three formats', async () => {
    expect(await detectFormat(ES_SAMPLE)).toBe('eventstreams');
    expect(await detectFormat(LV_SAMPLE)).toBe('action-api');
    expect(await detectFormat(IRC_SAMPLE)).toBe('irc-2015');
  });

  it('replays EventStreams JSONL shifted so the last event is now, keeping gaps', async () => {
    const original = edits(await all(replayFile(ES_SAMPLE, { time: 'original' })));
    const shifted = edits(await all(replayFile(ES_SAMPLE, { now: () => NOW })));
    expect(shifted).toHaveLength(100);
    const times = shifted.map((e) => Date.parse(e.timestamp));
    expect(Math.max(...times)).toBe(NOW);
    const gap = (xs: { timestamp: string }[], i: number) => Date.parse(xs[i + 1]!.timestamp) - Date.parse(xs[i]!.timestamp);
    for (let i = 0; i < 99; i++) expect(gap(shifted, i)).toBe(gap(original, i));
    expect(original[0]?.timestamp).toBe('2023-07-29T07:51:39.000Z');
  });

  it('replays a single Action API response oldest-first with row cursors', async () => {
    const items = await all(replayFile(LV_SAMPLE, { wiki: 'lvwiki', time: 'original' }));
    const e = edits(items);
    expect(e).toHaveLength(100);
    expect(e.filter((x) => x.isAnon)).toHaveLength(40);
    expect(e.every((x, i) => i === 0 || x.timestamp >= e[i - 1]!.timestamp)).toBe(true);
    expect(items[0]?.cursor).toBe('1:1');
    expect(e[0]?.wiki).toBe('lvwiki');
  });

  it('replays Action API JSONL (one response per line)', async () => {
    const doc = JSON.parse(fs.readFileSync(LV_SAMPLE, 'utf8')) as { query: { recentchanges: unknown[] } };
    const rc = doc.query.recentchanges;
    const file = path.join(tmp, 'responses.jsonl');
    fs.writeFileSync(file, [rc.slice(0, 50), rc.slice(50)].map((r) => JSON.stringify({ query: { recentchanges: r } })).join('\n'));
    const items = await all(replayFile(file, { wiki: 'lvwiki', time: 'original' }));
    expect(edits(items)).toHaveLength(100);
    expect(items[50]?.cursor).toBe('2:1');
  });

  it('streams the 2015 IRC file with hostile lines as dead letters, and resumes from a cursor', async () => {
    const good = lines(IRC_SAMPLE, 200);
    const file = path.join(tmp, 'irc.jsonl');
    const bad = [Buffer.from('{"time": 1}\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(`${'['.repeat(5000)}\n`)];
    fs.writeFileSync(file, Buffer.concat([Buffer.from(good.slice(0, 100).join('\n') + '\n'), ...bad, Buffer.from(good.slice(100).join('\r\n') + '\r\n\n')]));
    const items = await all(replayFile(file, { format: 'irc-2015', time: 'original' }));
    expect(edits(items)).toHaveLength(200);
    expect(items.filter((x) => x.kind === 'dead-letter').map((x) => x.kind === 'dead-letter' && x.deadLetter.reason)).toEqual([
      'field `time` matches none of the accepted shapes; field `channel` has the wrong type or is missing; field `page` has the wrong type or is missing (+7 more)',
      'input is not valid UTF-8',
      'input is nested deeper than 32 levels',
    ]);
    const resumed = await all(replayFile(file, { format: 'irc-2015', time: 'original', fromCursor: '150' }));
    expect(resumed[0]?.cursor).toBe('151');
    expect(edits(resumed)).toHaveLength(200 - 147);
  });
});

describe('the time shift of a 2015 IRC replay', () => {
  it('ends at now on the latest VALID edit, whatever the order and however many invalid later lines', async () => {
    const good = lines(IRC_SAMPLE, 1200);
    // shuffled (deterministically), so the latest edit is somewhere in the middle
    const shuffled = good.map((l, i) => ({ l, k: (i * 7919) % 1201 })).sort((a, b) => a.k - b.k).map((x) => x.l);
    const latest = Math.max(...good.map((l) => Date.parse((JSON.parse(l) as { time: string }).time)));
    // lines later than every valid one that the parser rejects: bad channel, missing page, empty user, bad time shape
    const later = (dt: number) => new Date(latest + dt).toISOString();
    const base = JSON.parse(good[0]!) as Record<string, unknown>;
    const invalid = Array.from({ length: 600 }, (_, i) => {
      const o: Record<string, unknown> = { ...base, time: later(1000 + i) };
      if (i % 4 === 0) o.channel = 'not a channel';
      else if (i % 4 === 1) delete o.page;
      else if (i % 4 === 2) o.user = '';
      else o.time = later(1000 + i).replace('T', ' ');
      return JSON.stringify(o);
    });
    const file = path.join(tmp, 'shift.jsonl');
    fs.writeFileSync(file, [...shuffled.slice(0, 500), ...invalid, ...shuffled.slice(500)].join('\n'));
    const items = await all(replayFile(file, { format: 'irc-2015', now: () => NOW }));
    expect(edits(items)).toHaveLength(1200);
    expect(items.filter((x) => x.kind === 'dead-letter')).toHaveLength(600);
    expect(Math.max(...edits(items).map((e) => Date.parse(e.timestamp)))).toBe(NOW);
  });
});

describe('pacing', () => {
  it('parses speeds', () => {
    expect([parseSpeed('max'), parseSpeed('10'), parseSpeed('0.5x'), parseSpeed('0'), parseSpeed('fast')]).toEqual(['max', 10, 0.5, null, null]);
  });

  it('waits for the recorded gaps divided by the speed', async () => {
    let clock = 0;
    const waits: number[] = [];
    const src = edits(await all(replayFile(ES_SAMPLE, { time: 'original' }))).slice(0, 4);
    async function* gen() {
      for (const edit of src) yield { kind: 'edit' as const, edit, cursor: null };
    }
    const out = await all(pace(gen(), { speed: 2, now: () => clock, sleep: async (ms) => { waits.push(ms); clock += ms; } }));
    expect(out).toHaveLength(4);
    const gaps = src.slice(1).map((e, i) => (Date.parse(e.timestamp) - Date.parse(src[i]!.timestamp)) / 2);
    expect(waits).toEqual(gaps.filter((g) => g > 0));
    const fast = await all(pace(gen(), { speed: 'max', sleep: async () => { throw new Error('no sleeping at max speed'); } }));
    expect(fast).toHaveLength(4);
  });
});
