import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { actionApiFeed } from '@/lib/feed/action-api-poller';
import type { FeedItem } from '@/lib/feed/result';
import { LV_SAMPLE } from './fixtures';

interface Row { timestamp: string; rcid: number; [k: string]: unknown }
const rows = (JSON.parse(fs.readFileSync(LV_SAMPLE, 'utf8')) as { query: { recentchanges: Row[] } }).query.recentchanges;
const ts14 = (iso: string) => iso.replace(/[-:TZ]/g, '');
const key = (r: Row) => `${ts14(r.timestamp)}|${String(r.rcid).padStart(12, '0')}`;
const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));

/** A tiny list=recentchanges implementation over the lvwiki sample (rcdir=newer, rccontinue, rcstart). */
function apiServer(opts: { pageSize: number; maxlagFirst?: boolean; busyOnce?: boolean; noPatrolRight?: boolean }) {
  const requests: URLSearchParams[] = [];
  const userAgents: string[] = [];
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    requests.push(q);
    userAgents.push(String(req.headers['user-agent']));
    if (opts.maxlagFirst && requests.length === 1) {
      res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '7', 'mediawiki-api-error': 'maxlag' });
      return res.end(JSON.stringify({ error: { code: 'maxlag', info: 'Waiting for a database server: 7 seconds lagged.' } }));
    }
    if (opts.busyOnce && requests.length === 2) return res.writeHead(429, { 'retry-after': '3' }).end();
    // MediaWiki's answer to rcprop=patrolled from a reader without the patrol or patrolmarks right
    if (opts.noPatrolRight && (q.get('rcprop') ?? '').split('|').includes('patrolled')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: 'permissiondenied', info: 'You need the "patrol" or "patrolmarks" right to request the patrolled flag.' } }));
    }
    let from = sorted;
    const cont = q.get('rccontinue');
    if (cont) {
      const [t, id] = cont.split('|');
      from = sorted.filter((r) => key(r) >= `${t}|${String(id).padStart(12, '0')}`);
    } else if (q.get('rcstart')) from = sorted.filter((r) => ts14(r.timestamp) >= (q.get('rcstart') as string));
    const limit = Number(q.get('rclimit'));
    const page = from.slice(0, Math.min(limit, opts.pageSize));
    const next = from[page.length];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      batchcomplete: true,
      ...(next ? { continue: { rccontinue: `${ts14(next.timestamp)}|${next.rcid}`, continue: '-||' } } : {}),
      query: { recentchanges: page },
    }));
  });
  return { server, requests, userAgents };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});
async function start(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
}

async function collect(feed: AsyncGenerator<FeedItem>): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for await (const item of feed) items.push(item);
  return items;
}

describe('Action API poller against a local server', () => {
  it('polls without the patrolled flag when the wiki refuses it to this reader (a default MediaWiki does)', async () => {
    const { server, requests } = apiServer({ pageSize: 500, noPatrolRight: true });
    const apiUrl = await start(server);
    const ac = new AbortController();
    const items: FeedItem[] = [];
    for await (const item of actionApiFeed({ apiUrl, wiki: 'lvwiki', contact: 'ops@example.org', since: '2020-04-01T00:00:00Z', signal: ac.signal, sleep: async () => ac.abort() })) items.push(item);
    expect(items.filter((x) => x.kind === 'edit')).toHaveLength(100);
    expect(requests.map((q) => (q.get('rcprop') ?? '').split('|').includes('patrolled'))).toEqual([true, false]);
  });

  it('follows continuation over the lvwiki sample, honouring maxlag and 429 Retry-After', async () => {
    const { server, requests, userAgents } = apiServer({ pageSize: 30, maxlagFirst: true, busyOnce: true });
    const apiUrl = await start(server);
    const ac = new AbortController();
    const sleeps: number[] = [];
    const items = await collect(
      actionApiFeed({
        apiUrl,
        wiki: 'lvwiki',
        contact: 'ops@example.org',
        since: '2020-04-01T00:00:00Z',
        limit: 50,
        intervalMs: 60_000,
        signal: ac.signal,
        sleep: async (ms) => {
          sleeps.push(ms);
          if (ms === 60_000) ac.abort();
        },
      }),
    );
    const edits = items.flatMap((x) => (x.kind === 'edit' ? [x] : []));
    expect(edits).toHaveLength(100);
    expect(new Set(edits.map((x) => x.edit.rcId)).size).toBe(100);
    expect(edits.map((x) => x.edit.rcId)).toEqual(sorted.map((r) => r.rcid));
    expect(edits.filter((x) => x.edit.isAnon)).toHaveLength(40);
    expect(edits[0]?.edit.serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sleeps).toEqual([7000, 3000, 60_000]);

    expect(requests[0]?.get('rcstart')).toBe('20200401000000');
    expect(requests[0]?.get('maxlag')).toBe('5');
    expect(requests[0]?.get('rcdir')).toBe('newer');
    expect(requests[0]?.get('formatversion')).toBe('2');
    expect(requests[0]?.get('rcprop')).toContain('loginfo');
    expect(requests[3]?.get('rccontinue')).toMatch(/^\d{14}\|\d+$/);
    expect(requests).toHaveLength(6); // maxlag, 429, then 4 pages of 30
    expect(userAgents[0]).toMatch(/^maskpatrol\/\S+ \(ops@example\.org\)$/);
    const last = sorted[99] as Row;
    expect(edits[99]?.cursor).toBe(`${ts14(last.timestamp)}|${last.rcid + 1}`);
  });

  it('resumes from a stored cursor without repeating or skipping, and polls again when caught up', async () => {
    const { server, requests } = apiServer({ pageSize: 500 });
    const apiUrl = await start(server);
    const first = sorted[59] as Row;
    const cursor = `${ts14(first.timestamp)}|${first.rcid + 1}`;
    const ac = new AbortController();
    let polls = 0;
    const items = await collect(
      actionApiFeed({
        apiUrl,
        wiki: 'lvwiki',
        contact: 'x',
        cursor,
        signal: ac.signal,
        sleep: async () => {
          if (++polls === 2) ac.abort();
        },
      }),
    );
    expect(items.map((x) => (x.kind === 'edit' ? x.edit.rcId : null))).toEqual(sorted.slice(60).map((r) => r.rcid));
    expect(requests[0]?.get('rccontinue')).toBe(cursor);
    expect(requests[1]?.get('rccontinue')).toBe(items[items.length - 1]?.cursor);
  });

  it('ends with an error naming the code on a non-transient API error', async () => {
    const server = http.createServer((_req, res) => res.end(JSON.stringify({ error: { code: 'badcontinue', info: 'x' } })));
    const apiUrl = await start(server);
    await expect(collect(actionApiFeed({ apiUrl, wiki: 'lvwiki', contact: 'x' }))).rejects.toThrow('API error badcontinue');
  });
});
