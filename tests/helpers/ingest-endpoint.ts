import { randomUUID } from 'node:crypto';
import { signRequest } from '@/lib/ingest/signature';

/** An /api/ingest event as a trusted producer sends it (EventStreams recentchange + ip/userAgent). */
export function ingestEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    meta: { id: randomUUID(), domain: 'en.wikipedia.org', dt: '2026-11-26T12:00:00Z' },
    id: Math.floor(Math.random() * 1e9),
    type: 'edit',
    namespace: 0,
    title: 'Example page',
    comment: 'copyedit',
    timestamp: Math.floor(Date.now() / 1000),
    user: '~2026-12345-67',
    bot: false,
    minor: false,
    length: { old: 100, new: 120 },
    revision: { old: 10, new: 11 },
    server_url: 'https://en.wikipedia.org',
    wiki: 'enwiki',
    ip: '192.0.2.10',
    userAgent: 'Mozilla/5.0 (test)',
    ...over,
  };
}

/** Signature headers for a body (timestamp in unix seconds, default now). */
export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-maskpatrol-timestamp': String(timestamp),
    'x-maskpatrol-signature': signRequest(Buffer.from(secret, 'utf8'), timestamp, body),
  };
}
