import { Worker } from 'node:worker_threads';
import type { ReplayOptions } from './replay';
import type { FeedItem } from './result';

/** Items per message from the replay worker, and how many messages it may run ahead of the consumer. */
export const REPLAY_CHUNK = 256;
const CHUNKS_AHEAD = 4;

export type ToWorker = { credit: number };
export type FromWorker = { items: FeedItem[] } | { done: true } | { error: { name: string; message: string } };
type Event = FromWorker | { exit: number };

/**
 * The worker's entry. Under tsx (npm start, the CLIs, the tests) the entry is TypeScript, which a new
 * thread cannot load by itself (Node registers loader hooks per thread, and asynchronously), so a small
 * bootstrap registers tsx's loader in the worker first, then imports the entry.
 */
function workerSource(): { code: string; eval: true } | { url: URL; eval: false } {
  const url = new URL(import.meta.url.endsWith('.ts') ? './replay-worker.ts' : './replay-worker.js', import.meta.url);
  if (!url.pathname.endsWith('.ts')) return { url, eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  return { code: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, eval: true };
}

/**
 * replayFile (replay.ts) on a worker thread: reading, gunzipping, JSON parsing, validation and the identity
 * hash of a replay — about a third of the ingest pipeline's CPU time — run beside the ingester instead of on
 * its thread. The items and their order are exactly replayFile's; the worker runs at most CHUNKS_AHEAD ×
 * REPLAY_CHUNK items ahead of the consumer. Aborting `signal` (or leaving the loop) stops the worker.
 * File-level errors (unreadable file, unknown format) are rethrown here with their name and message.
 */
export async function* replayInWorker(path: string, opts: Omit<ReplayOptions, 'now'> = {}): AsyncGenerator<FeedItem> {
  const { signal, ...rest } = opts;
  if (signal?.aborted) return;
  const src = workerSource();
  const worker = new Worker(src.eval ? src.code : src.url, { eval: src.eval, workerData: { path, opts: rest } });
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Event) => {
    events.push(e);
    wake?.();
    wake = null;
  };
  worker.on('message', (m: FromWorker) => push(m));
  worker.on('error', (err) => push({ error: { name: err.name, message: err.message } }));
  worker.on('exit', (code) => push({ exit: code }));
  const stop = () => void worker.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  worker.postMessage({ credit: CHUNKS_AHEAD } satisfies ToWorker);
  try {
    for (;;) {
      while (!events.length) await new Promise<void>((resolve) => (wake = resolve));
      const e = events.shift()!;
      if (signal?.aborted) return;
      if ('items' in e) {
        worker.postMessage({ credit: 1 } satisfies ToWorker);
        for (const item of e.items) {
          if (signal?.aborted) return;
          yield item;
        }
      } else if ('done' in e) return;
      else if ('error' in e) throw Object.assign(new Error(e.error.message), { name: e.error.name });
      else throw new Error(`the replay worker stopped unexpectedly (exit code ${e.exit})`);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
