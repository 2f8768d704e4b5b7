import { parentPort, workerData } from 'node:worker_threads';
import { replayFile, type ReplayOptions } from './replay';
import type { FeedItem } from './result';
import { REPLAY_CHUNK, type FromWorker, type ToWorker } from './replay-thread';

/**
 * The worker side of replayInWorker (replay-thread.ts): reads, parses and validates the file with
 * replayFile and posts its items in chunks, never more chunks than the main thread has granted.
 */
const port = parentPort!;
const { path, opts } = workerData as { path: string; opts: Omit<ReplayOptions, 'signal' | 'now'> };
let credits = 0;
let granted: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  credits += m.credit;
  granted?.();
  granted = null;
});
const post = (m: FromWorker) => port.postMessage(m);

async function send(items: FeedItem[]) {
  while (credits <= 0) await new Promise<void>((resolve) => (granted = resolve));
  credits--;
  post({ items });
}

async function run() {
  let chunk: FeedItem[] = [];
  try {
    for await (const item of replayFile(path, opts)) {
      chunk.push(item);
      if (chunk.length >= REPLAY_CHUNK) {
        await send(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await send(chunk);
    post({ done: true });
  } catch (err) {
    // file-level failures only (unreadable file, unknown format): their messages carry no event content
    post({ error: { name: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err) } });
  }
  port.close();
}

void run();
