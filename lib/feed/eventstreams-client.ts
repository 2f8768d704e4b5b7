import { backoffDelay, isAbort, retryAfterMs, silentLogger, sleep as realSleep, userAgent } from './http';
import type { BackoffOptions, FeedLogger, Sleep } from './http';
import { LIMITS } from './limits';
import { splitLines } from './lines';
import { parseEventStreamsLine } from './parse-eventstreams';
import type { FeedItem } from './result';
import { SseParser, type SseEvent } from './sse';

export const DEFAULT_EVENTSTREAMS_URL = 'https://stream.wikimedia.org/v2/stream/recentchange';

export interface EventStreamsOptions {
  /** SSE endpoint; default DEFAULT_EVENTSTREAMS_URL */
  url?: string;
  /** operator contact for the User-Agent ("maskpatrol/<version> (<contact>)") */
  contact: string;
  /** wiki ids to keep ("enwiki"); empty or absent keeps every wiki */
  wikis?: readonly string[];
  /** resume position: the cursor of the last stored item (sent as Last-Event-ID) */
  lastEventId?: string | null;
  /** where to start when there is no cursor: ISO 8601 or epoch ms, sent as ?since= */
  since?: string | number;
  signal?: AbortSignal;
  backoff?: BackoffOptions;
  /** reconnect when no byte (not even a heartbeat comment) arrives for this long; default 60 s */
  idleTimeoutMs?: number;
  /** emit a `checkpoint` item at most this often while events are being filtered out; default 10 s */
  checkpointEveryMs?: number;
  logger?: FeedLogger;
  /** injectable for tests */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Follow Wikimedia EventStreams (or any SSE endpoint carrying recentchange events) forever: reconnects
 * with exponential backoff + jitter, resumes with Last-Event-ID, honours `retry:` and Retry-After, drops
 * canary events, filters by wiki. Ends only when `signal` aborts (or the consumer stops iterating).
 * Each item's cursor is the SSE id of the event that carried it: persist it with the stored events and
 * pass it back as `lastEventId` to resume without loss or duplicates.
 */
export async function* eventStreamsFeed(opts: EventStreamsOptions): AsyncGenerator<FeedItem> {
  const log = opts.logger ?? silentLogger;
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const allow = opts.wikis?.length ? new Set(opts.wikis) : null;
  const checkpointEvery = opts.checkpointEveryMs ?? 10_000;
  const signal = opts.signal;
  let lastId = opts.lastEventId ?? null;
  let attempt = 0;
  let serverRetryMs: number | null = null;
  let lastCheckpointAt = now();
  let checkpointPending = false;

  while (!signal?.aborted) {
    const conn = new AbortController();
    const onAbort = () => conn.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let waitMs: number | null = null;
    try {
      const res = await doFetch(buildUrl(opts, lastId), {
        headers: {
          accept: 'text/event-stream',
          'user-agent': userAgent(opts.contact),
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
        signal: conn.signal,
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        waitMs = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : null;
        log.warn({ status: res.status, attempt }, 'eventstreams: connection refused by server');
      } else {
        log.info({ resumed: lastId !== null }, 'eventstreams: connected');
        const parser = new SseParser(lastId, LIMITS.maxLineBytes);
        const body = withIdleTimeout(res.body as unknown as AsyncIterable<Uint8Array>, conn, opts.idleTimeoutMs ?? 60_000);
        for await (const line of splitLines(body, { maxLineBytes: LIMITS.maxLineBytes, loneCr: true })) {
          const ev = parser.push(line);
          if (parser.retryMs !== null) serverRetryMs = parser.retryMs;
          if (!ev || ev.type !== 'message') continue;
          attempt = 0;
          lastId = ev.id;
          const item = toItem(ev, allow);
          if (item) {
            checkpointPending = false;
            lastCheckpointAt = now();
            yield item;
          } else if (lastId !== null) {
            checkpointPending = true;
            if (now() - lastCheckpointAt >= checkpointEvery) {
              checkpointPending = false;
              lastCheckpointAt = now();
              yield { kind: 'checkpoint', cursor: lastId };
            }
          }
        }
        log.warn({ attempt }, 'eventstreams: stream ended');
      }
    } catch (err) {
      if (signal?.aborted) break;
      log.warn({ attempt, error: err instanceof Error ? err.name : 'unknown' }, 'eventstreams: connection failed');
    } finally {
      signal?.removeEventListener('abort', onAbort);
      conn.abort();
    }
    if (checkpointPending && lastId !== null) {
      checkpointPending = false;
      lastCheckpointAt = now();
      yield { kind: 'checkpoint', cursor: lastId };
    }
    const delay = waitMs ?? backoffDelay(attempt, { ...opts.backoff, initialMs: serverRetryMs ?? opts.backoff?.initialMs });
    attempt++;
    try {
      await sleep(delay, signal);
    } catch (err) {
      if (isAbort(err, signal)) break;
      throw err;
    }
  }
}

function buildUrl(opts: EventStreamsOptions, lastId: string | null): string {
  const url = new URL(opts.url ?? DEFAULT_EVENTSTREAMS_URL);
  if (!lastId && opts.since !== undefined) {
    url.searchParams.set('since', typeof opts.since === 'number' ? new Date(opts.since).toISOString() : opts.since);
  }
  return url.toString();
}

/** An SSE event → an item to yield, or null when it is dropped (canary, filtered wiki). */
function toItem(ev: SseEvent, allow: Set<string> | null): FeedItem | null {
  const cursor = ev.id;
  if (ev.broken) {
    const reason = ev.broken === 'utf8' ? 'SSE event is not valid UTF-8' : 'SSE event is larger than the size limit';
    return { kind: 'dead-letter', deadLetter: { source: 'eventstreams', reason, size: ev.size }, cursor };
  }
  const r = parseEventStreamsLine(ev.data);
  if (r.ok) return allow && !allow.has(r.edit.wiki) ? null : { kind: 'edit', edit: r.edit, cursor };
  if (r.ignore) return null;
  return { kind: 'dead-letter', deadLetter: { source: 'eventstreams', reason: r.reason, size: ev.size }, cursor };
}

/** Pass chunks through; abort the connection when none arrives within `ms`. */
async function* withIdleTimeout(
  body: AsyncIterable<Uint8Array>,
  conn: AbortController,
  ms: number,
): AsyncGenerator<Uint8Array> {
  let timer = setTimeout(() => conn.abort(new Error('idle timeout')), ms);
  try {
    for await (const chunk of body) {
      clearTimeout(timer);
      timer = setTimeout(() => conn.abort(new Error('idle timeout')), ms);
      yield chunk;
    }
  } finally {
    clearTimeout(timer);
  }
}
