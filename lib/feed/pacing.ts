import { isAbort, sleep as realSleep, type Sleep } from './http';
import type { FeedItem } from './result';

/** N × real time (2 = twice as fast), or 'max' for no waiting at all. */
export type Speed = number | 'max';

/** "max", "10", "0.5", "10x" → Speed; null when invalid. */
export function parseSpeed(s: string): Speed | null {
  const t = s.trim().toLowerCase();
  if (t === 'max') return 'max';
  const n = Number(t.replace(/x$/, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface PaceOptions {
  speed: Speed;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Release items at the pace their timestamps dictate: the first edit goes out at once, each later one
 * when (its timestamp − the first's) / speed has elapsed on the clock. Items whose time has already
 * passed (or that go back in time) are released immediately, so a slow consumer never causes a burst
 * of sleeps. Dead letters and checkpoints pass straight through. Stops quietly when `signal` aborts.
 */
export function pace<T extends FeedItem>(items: AsyncGenerator<T>, opts: PaceOptions): AsyncGenerator<T> {
  // as fast as possible: nothing to wait for, so no extra async-generator step per item (the ingest hot path);
  // stopping is then the source's and the consumer's part (replayFile and runFeed check the signal per item)
  if (opts.speed === 'max') return items;
  return paced(items, opts);
}

async function* paced<T extends FeedItem>(items: AsyncIterable<T>, opts: PaceOptions): AsyncGenerator<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  let origin: { event: number; wall: number } | null = null;
  for await (const item of items) {
    if (opts.signal?.aborted) return;
    if (opts.speed !== 'max' && item.kind === 'edit') {
      const t = Date.parse(item.edit.timestamp);
      if (!origin) origin = { event: t, wall: now() };
      const due = origin.wall + (t - origin.event) / opts.speed;
      const wait = due - now();
      if (wait > 0) {
        try {
          await sleep(wait, opts.signal);
        } catch (err) {
          if (isAbort(err, opts.signal)) return;
          throw err;
        }
      }
    }
    yield item;
  }
}
