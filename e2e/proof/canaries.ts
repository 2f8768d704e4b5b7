import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../ingest';
import { ORIGIN } from '../fixtures';

/**
 * Canary IPs for the leak crawl: one of each family and an IPv4-mapped IPv6, in ranges the demo feed never
 * uses (198.18.0.0/15 is for benchmarks, 2001:db8::/32 documentation; the demo's IPv6 stays off c0de).
 */
export const CANARY_V4 = '198.18.47.219';
export const CANARY_V6 = '2001:db8:c0de::5ca1:7';
export const CANARY_MAPPED = '::ffff:198.19.203.7';
export const CANARIES = [CANARY_V4, CANARY_V6, CANARY_MAPPED];

/** Other spellings of each canary, as they might appear in free text (every one must be masked). */
const SPELLINGS: Record<string, string[]> = {
  [CANARY_V4]: [CANARY_V4],
  [CANARY_V6]: [CANARY_V6, '2001:0DB8:C0DE:0000:0000:0000:5CA1:0007', '2001:db8:c0de:0:0:0:5ca1:7'],
  [CANARY_MAPPED]: [CANARY_MAPPED, '::FFFF:C613:CB07', '198.19.203.7'],
};

export type CanaryKind = 'anon' | 'temp' | 'registered' | 'log';

/** The title of canary n's event of one kind: a run tag to find it by (`q=`), then the IP in a page name. */
export const canaryTitle = (tag: string, n: number, kind: CanaryKind, ip: string) => `Leak${tag}-${n}-${kind}/User talk:${ip}`;

/** EventStreams events with the ingest endpoint's private fields: each canary as IP editor, behind a temporary account and a registered user, and in a block log entry. */
export function canaryEvents(tag: string, opts: { wiki?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const events: Record<string, unknown>[] = [];
  CANARIES.forEach((ip, n) => {
    const forms = SPELLINGS[ip]!;
    const a = forms[0]!;
    const b = forms[1] ?? a;
    const c = forms[2] ?? a;
    const base = (kind: CanaryKind, user: string, i: number) => ({
      meta: { id: randomUUID(), domain: 'en.wikipedia.org' },
      id: Math.floor(Math.random() * 1e9),
      type: kind === 'log' ? 'log' : 'edit',
      namespace: 3,
      title: canaryTitle(tag, n, kind, kind === 'temp' ? b : a),
      comment: `Reverted edits by ${a} (talk) to last version; also ${b} and ${c}`,
      parsedcomment: `Reverted edits by <a href="/wiki/Special:Contributions/${b}">${b}</a>`,
      timestamp: now - 5 + i,
      user,
      bot: false,
      minor: false,
      length: { old: 100, new: 40 },
      revision: { old: 800_000_000 + n * 10 + i, new: 800_000_001 + n * 10 + i },
      wiki: opts.wiki ?? 'enwiki',
      server_url: 'https://en.wikipedia.org',
      ip,
      userAgent: `Mozilla/5.0 (canary ${c})`,
      ...(kind === 'log' ? { log_type: 'block', log_action: 'block', log_params: { target: `User:${a}`, range: `${c}/32`, [b]: 1 } } : {}),
    });
    events.push(base('anon', a, 0), base('temp', `~2026-${String(47_000 + n)}-1`, 1), base('registered', `Leak${tag} Registered ${n}`, 2), base('log', a, 3));
  });
  return events;
}

/** POST events to /api/ingest, signed as the trusted producer; returns the parsed answer. */
export async function ingest(events: unknown[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({ events });
  const r = await fetch(new URL('/api/ingest', ORIGIN), { method: 'POST', headers: signedHeaders(body), body });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}
