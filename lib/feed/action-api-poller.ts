import { backoffDelay, isAbort, readBodyCapped, retryAfterMs, silentLogger, sleep as realSleep, userAgent } from './http';
import type { BackoffOptions, FeedLogger, Sleep } from './http';
import { LIMITS } from './limits';
import { parseActionApiDocument, toMwTimestamp } from './parse-action-api';
import type { FeedItem } from './result';
import type { RawEdit } from './types';

export interface ActionApiPollerOptions {
  /** the wiki's api.php, e.g. "https://lv.wikipedia.org/w/api.php" */
  apiUrl: string;
  /** wiki id for the events ("lvwiki"); the API response does not carry it */
  wiki: string;
  /** for diff links; default: the origin of apiUrl */
  serverUrl?: string;
  contact: string;
  /** resume position: the cursor of the last stored item ("20200412140151|9235559", rccontinue syntax) */
  cursor?: string | null;
  /** where to start without a cursor: ISO 8601 or epoch ms; default now */
  since?: string | number;
  /** rclimit, 1–500 (500 needs no special rights with formatversion=2 for most wikis); default 100 */
  limit?: number;
  /** pause between polls once caught up; default 10 s */
  intervalMs?: number;
  /** maxlag parameter in seconds; default 5 */
  maxlag?: number;
  /** also request ORES scores (rcprop=oresscores; only on wikis with the ORES extension) */
  ores?: boolean;
  signal?: AbortSignal;
  backoff?: BackoffOptions;
  logger?: FeedLogger;
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
}

const RCPROP = 'user|userid|comment|parsedcomment|timestamp|title|ids|sizes|flags|loginfo|tags';
const TRANSIENT_API_ERRORS = new Set(['ratelimited', 'readonly', 'internal_api_error_DBQueryError']);

export class ActionApiError extends Error {
  override name = 'ActionApiError';
}

/**
 * Poll `list=recentchanges` oldest-first (rcdir=newer), following continue.rccontinue, forever (until
 * `signal` aborts). Honours maxlag errors and HTTP 429/503 with Retry-After, backs off on failures.
 * Item cursors are rccontinue values pointing just after the item ("<timestamp>|<rcid + 1>"), so
 * resuming from a stored cursor neither skips nor repeats an event. Non-transient API errors (bad
 * parameters) end the iterator with an ActionApiError naming the error code.
 */
export async function* actionApiFeed(opts: ActionApiPollerOptions): AsyncGenerator<FeedItem> {
  const log = opts.logger ?? silentLogger;
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const signal = opts.signal;
  const serverUrl = opts.serverUrl ?? new URL(opts.apiUrl).origin;
  const start = toMwTimestamp(new Date(opts.since ?? now()).toISOString());
  let rccontinue = opts.cursor ?? null;
  let lastCursor = opts.cursor ?? null;
  let attempt = 0;
  // rcprop=patrolled needs the patrol or patrolmarks right, which anonymous readers lack on a default wiki
  // (MediaWiki answers permissiondenied): the poller asks once, and without the flag from then on
  let patrolled = true;

  const pause = async (ms: number): Promise<boolean> => {
    try {
      await sleep(ms, signal);
      return true;
    } catch (err) {
      if (isAbort(err, signal)) return false;
      throw err;
    }
  };

  while (!signal?.aborted) {
    let waitMs: number | null = null;
    let body: Uint8Array | null = null;
    try {
      const res = await doFetch(buildUrl(opts, rccontinue, start, patrolled), {
        headers: { accept: 'application/json', 'user-agent': userAgent(opts.contact) },
        signal,
      });
      if (res.ok) {
        body = await readBodyCapped(res, LIMITS.maxDocumentBytes);
        if (!body) log.warn({ attempt }, 'action-api: response larger than the size limit');
      } else {
        await res.body?.cancel().catch(() => {});
        if (res.status === 429 || res.status === 503) waitMs = retryAfterMs(res.headers.get('retry-after'));
        log.warn({ status: res.status, attempt }, 'action-api: request refused');
      }
      if (body) {
        const doc = parseActionApiDocument(body, { wiki: opts.wiki, serverUrl });
        if (!doc.ok) {
          log.warn({ reason: doc.reason, attempt }, 'action-api: unusable response');
        } else if (doc.page.error) {
          const code = doc.page.error.code;
          if (code === 'permissiondenied' && patrolled) {
            patrolled = false;
            log.warn({ code }, 'action-api: the patrolled flag is not readable here; polling without it');
            continue;
          }
          if (code === 'maxlag') waitMs = retryAfterMs(res.headers.get('retry-after')) ?? 5000;
          else if (!TRANSIENT_API_ERRORS.has(code) && !code.startsWith('internal_api_error')) {
            throw new ActionApiError(`action-api: API error ${code}`);
          }
          log.warn({ code, attempt }, 'action-api: API error');
        } else {
          attempt = 0;
          for (const row of doc.page.rows) {
            if (row.result.ok) {
              lastCursor = cursorAfter(row.result.edit);
              yield { kind: 'edit', edit: row.result.edit, cursor: lastCursor };
            } else {
              const deadLetter = { source: 'action-api' as const, reason: row.result.reason, size: row.size };
              yield { kind: 'dead-letter', deadLetter, cursor: lastCursor };
            }
          }
          if (doc.page.rccontinue) {
            rccontinue = doc.page.rccontinue;
            continue;
          }
          rccontinue = lastCursor;
          if (!(await pause(opts.intervalMs ?? 10_000))) return;
          continue;
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof ActionApiError) throw err;
      log.warn({ attempt, error: err instanceof Error ? err.name : 'unknown' }, 'action-api: request failed');
    }
    const delay = waitMs ?? backoffDelay(attempt, opts.backoff);
    attempt++;
    if (!(await pause(delay))) return;
  }
}

/** rccontinue pointing just after this edit (rcdir=newer orders by timestamp, then rcid). */
export function cursorAfter(edit: RawEdit): string | null {
  return edit.rcId === null ? null : `${toMwTimestamp(edit.timestamp)}|${edit.rcId + 1}`;
}

function buildUrl(opts: ActionApiPollerOptions, rccontinue: string | null, start: string, patrolled: boolean): string {
  const url = new URL(opts.apiUrl);
  const limit = Math.max(1, Math.min(500, Math.floor(opts.limit ?? 100)));
  const params: Record<string, string> = {
    action: 'query',
    list: 'recentchanges',
    format: 'json',
    formatversion: '2',
    rcprop: [RCPROP, ...(patrolled ? ['patrolled'] : []), ...(opts.ores ? ['oresscores'] : [])].join('|'),
    rclimit: String(limit),
    rcdir: 'newer',
    maxlag: String(opts.maxlag ?? 5),
  };
  if (rccontinue) params.rccontinue = rccontinue;
  else params.rcstart = start;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
