import { isAbort, sleep as realSleep, type Sleep } from '../http';
import type { FeedItem } from '../result';
import { DemoGenerator, type DemoOptions } from './generator';

export interface DemoFeedOptions extends DemoOptions {
  signal?: AbortSignal;
  sleep?: Sleep;
}

/**
 * Live demo source: generates events from now on and releases each when the clock reaches its
 * timestamp. Scenario labels are dropped here — the app sees only RawEdits. Runs until aborted.
 * Demo events have no resumable position (cursor null): a restart simply continues from "now".
 */
export async function* demoFeed(opts: DemoFeedOptions): AsyncGenerator<FeedItem> {
  const clock = opts.clock ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const gen = new DemoGenerator({ ...opts, start: opts.start ?? clock(), clock });
  while (!opts.signal?.aborted) {
    const { edit } = gen.next();
    const wait = Date.parse(edit.timestamp) - clock();
    if (wait > 0) {
      try {
        await sleep(wait, opts.signal);
      } catch (err) {
        if (isAbort(err, opts.signal)) return;
        throw err;
      }
    }
    yield { kind: 'edit', edit, cursor: null };
  }
}
