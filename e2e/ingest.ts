import { createHmac, randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { E2E_INGEST_SECRET } from './constants';

/** Headers a trusted producer sends with a body for POST /api/ingest (HMAC-SHA-256 over "timestamp.body"). */
export function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000), secret = E2E_INGEST_SECRET): Record<string, string> {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'Content-Type': 'application/json', 'X-Maskpatrol-Timestamp': String(timestamp), 'X-Maskpatrol-Signature': `sha256=${hex}` };
}

/** A wave from the trusted producer: every account edits the same pages, round by round, one /24 or not. */
export interface Wave {
  ips: string[];
  users: string[];
  /** the page of a round */
  title: (round: number) => string;
  comment: (round: number, i: number) => string;
  /** the first edit's age in seconds, and the gaps between rounds and between accounts */
  startSecondsAgo: number;
  roundGap: number;
  editGap: number;
  length: { old: number; new: number };
  revisionBase: number;
  rounds?: number;
}

/** Post a wave to /api/ingest, signed; returns the response. */
export async function postWave(request: APIRequestContext, w: Wave) {
  const now = Math.floor(Date.now() / 1000);
  const events = [];
  for (let round = 0; round < (w.rounds ?? 3); round++)
    for (let i = 0; i < w.ips.length; i++)
      events.push({
        meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
        id: Math.floor(Math.random() * 1e9),
        type: 'edit',
        namespace: 0,
        title: w.title(round),
        comment: w.comment(round, i),
        timestamp: now - w.startSecondsAgo + round * w.roundGap + i * w.editGap,
        user: w.users[i],
        bot: false,
        minor: false,
        length: w.length,
        revision: { old: w.revisionBase + round * 10 + i, new: w.revisionBase + 1 + round * 10 + i },
        wiki: 'enwiki',
        server_url: 'https://en.wikipedia.org',
        ip: w.ips[i],
      });
  const body = JSON.stringify({ events });
  return request.post('/api/ingest', { data: body, headers: signedHeaders(body) });
}
