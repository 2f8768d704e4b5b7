import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventStreamsFeed } from '@/lib/feed/eventstreams-client';
import type { FeedItem } from '@/lib/feed/result';
import { ES_SAMPLE, lines } from './fixtures';

const sample = lines(ES_SAMPLE);
const idOf = (i: number) => JSON.stringify([{ topic: 'eqiad.mediawiki.recentchange', partition: 0, offset: i }]);

interface Seen {
  lastEventId: string | undefined;
  userAgent: string | undefined;
  url: string | undefined;
}

/** Serves the sample as SSE; the first connection dies mid-event after `dropAfter` events. */
function sseServer(opts: { dropAfter: number; canaryAt?: number; brokenAt?: number }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const lastEventId = req.headers['last-event-id'] as string | undefined;
    seen.push({ lastEventId, userAgent: req.headers['user-agent'], url: req.url });
    const first = seen.length === 1;
    let start = 0;
    if (lastEventId) start = (JSON.parse(lastEventId) as { offset: number }[])[0]!.offset + 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(':ok\n\nretry: 5\n\n');
    for (let i = start; i < sample.length; i++) {
      if (first && i === opts.dropAfter) {
        // half an event, then the connection goes away (FIN, without the chunked-encoding terminator)
        res.write(`event: message\nid: ${idOf(i)}\ndata: ${(sample[i] as string).slice(0, 40)}`, () => res.socket?.end());
        return;
      }
      if (i === opts.canaryAt) {
        const canary = JSON.parse(sample[i] as string) as { meta: Record<string, unknown> };
        canary.meta.domain = 'canary';
        res.write(`event: message\nid: ${idOf(i)}-canary\ndata: ${JSON.stringify(canary)}\n\n`);
      }
      const line = sample[i] as string;
      // multi-line data: split the JSON after its first comma (the newline is JSON whitespace)
      const comma = line.indexOf(',');
      const data = `data: ${line.slice(0, comma + 1)}\r\ndata: ${line.slice(comma + 1)}`;
      if (i === opts.brokenAt) {
        res.write(Buffer.concat([Buffer.from(`event: message\nid: ${idOf(i)}-bad\ndata: {"x":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n\n')]));
      }
      res.write(`: heartbeat\nevent: message\nid: ${idOf(i)}\n${data}\n\n`);
    }
    res.end();
  });
  return { server, seen };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/stream/recentchange`;
}

async function take(feed: AsyncGenerator<FeedItem>, until: (items: FeedItem[]) => boolean): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for await (const item of feed) {
    items.push(item);
    if (until(items)) break;
  }
  return items;
}

describe('EventStreams SSE client against a local server', () => {
  it('reconnects with Last-Event-ID after a mid-stream drop and gets every event exactly once', async () => {
    const { server, seen } = sseServer({ dropAfter: 37, canaryAt: 10, brokenAt: 60 });
    const url = await start(server);
    const ac = new AbortController();
    const feed = eventStreamsFeed({ url, contact: 'ops@example.org', signal: ac.signal, since: '2023-07-29T07:50:00Z', backoff: { initialMs: 5, maxMs: 20 } });
    const items = await take(feed, (xs) => xs.filter((x) => x.kind === 'edit').length === 100);
    ac.abort();

    const edits = items.flatMap((x) => (x.kind === 'edit' ? [x] : []));
    const ids = edits.map((x) => x.edit.sourceId);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toEqual(sample.map((l) => (JSON.parse(l) as { meta: { id: string } }).meta.id));
    expect(edits.filter((x) => x.edit.isAnon)).toHaveLength(25);
    expect(edits[99]?.cursor).toBe(idOf(99));

    const dead = items.filter((x) => x.kind === 'dead-letter');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ deadLetter: { reason: 'SSE event is not valid UTF-8' }, cursor: `${idOf(60)}-bad` });

    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]?.lastEventId).toBeUndefined();
    expect(seen[0]?.url).toContain('since=2023-07-29T07%3A50%3A00Z');
    expect(seen[1]?.lastEventId).toBe(idOf(36));
    expect(seen[1]?.url).not.toContain('since=');
    expect(seen[0]?.userAgent).toMatch(/^maskpatrol\/[^ ]+ \(ops@example\.org\)$/);
  });

  it('filters by wiki allow-list and still moves the cursor with checkpoints', async () => {
    const { server } = sseServer({ dropAfter: -1 });
    const url = await start(server);
    const ac = new AbortController();
    const feed = eventStreamsFeed({ url, contact: 'x', wikis: ['dewiki'], signal: ac.signal, checkpointEveryMs: 0, backoff: { initialMs: 5 } });
    const items = await take(feed, (xs) => xs.some((x) => x.cursor === idOf(99)));
    ac.abort();
    expect(items.every((x) => x.kind === 'checkpoint')).toBe(true);
  });

  it('retries refused connections with backoff and stops when aborted', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'retry-after': '0' }).end();
    });
    const url = await start(server);
    const ac = new AbortController();
    const delays: number[] = [];
    const feed = eventStreamsFeed({
      url,
      contact: 'x',
      signal: ac.signal,
      sleep: async (ms) => {
        delays.push(ms);
        if (delays.length === 3) ac.abort();
      },
    });
    const items = await take(feed, () => false);
    expect(items).toEqual([]);
    expect(hits).toBe(3);
    expect(delays).toEqual([0, 0, 0]);
  });

  it('uses exponential backoff with jitter when the server is unreachable', async () => {
    const ac = new AbortController();
    const delays: number[] = [];
    const feed = eventStreamsFeed({
      url: 'http://127.0.0.1:9/unreachable',
      contact: 'x',
      signal: ac.signal,
      backoff: { initialMs: 100, maxMs: 1000, random: () => 0.5 },
      fetch: async () => { throw new TypeError('fetch failed'); },
      sleep: async (ms) => {
        delays.push(ms);
        if (delays.length === 6) ac.abort();
      },
    });
    await take(feed, () => false);
    expect(delays).toEqual([75, 150, 300, 600, 750, 750]);
  });
});
