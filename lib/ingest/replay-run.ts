import path from 'node:path';
import type { PrismaClient } from '../db/generated/client';
import { pace, type Speed } from '../feed/pacing';
import { replayFile, type ReplayFormat } from '../feed/replay';
import type { FeedItem } from '../feed/result';
import type { Masker } from '../masking/mask';
import { runFeed, type FeedSpec, type FeedTotals } from './ingester';
import { readCursor } from './store';
import { createScorer, type Scorer } from '../scoring/score';
import { ClusterTracker } from '../clustering/tracker';

/**
 * One replay of a recorded feed file through the server's own pipeline (runFeed: masking boundary →
 * storeBatch, exactly-once by identity, cursor in the same transaction). The cursor lives under
 * `replay:<basename>` — the name the server's replay feed uses — so a second replay of the same file
 * resumes after the last stored line and stores nothing new.
 */
export interface ReplayRunOptions {
  file: string;
  format: ReplayFormat;
  speed: Speed;
  /** keep the recorded timestamps (default: shift them so the last event is now) */
  originalTime?: boolean;
  /** wiki id for Action API files */
  wiki?: string;
  /** ignore the stored cursor and read the whole file again (stored events are skipped by identity) */
  fromStart?: boolean;
  prisma: PrismaClient;
  masker: Masker;
  /** revert-risk scorer (default: a fresh one for this replay) */
  scorer?: Scorer;
  signal: AbortSignal;
  /** live counters, updated as items are read and batches commit */
  progress?: ReplayProgress;
  batchSize?: number;
}

export interface ReplayProgress {
  read: number;
  stored: number;
  duplicates: number;
  dead: number;
  /** cursor of the last item read ("<line>" or "<line>:<row>") */
  cursor: string | null;
}

export interface ReplaySummary extends FeedTotals {
  feed: string;
  /** the cursor stored before this run (null: first replay of this file) */
  startCursor: string | null;
  endCursor: string | null;
  seconds: number;
  eventsPerSecond: number;
  /** the file could not be read to the end (the name and message of the error; never event content) */
  error: string | null;
  interrupted: boolean;
}

export const replayFeedName = (file: string) => `replay:${path.basename(file)}`;

export function newProgress(): ReplayProgress {
  return { read: 0, stored: 0, duplicates: 0, dead: 0, cursor: null };
}

export async function runReplay(o: ReplayRunOptions): Promise<ReplaySummary> {
  const feed = replayFeedName(o.file);
  const progress = o.progress ?? newProgress();
  const startCursor = await readCursor(o.prisma, feed);
  progress.cursor = o.fromStart ? null : startCursor;
  // a replay ends for good on its first failure (runFeed would reopen it and retry forever)
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  let error: string | null = null;

  async function* open(cursor: string | null, signal: AbortSignal): AsyncGenerator<FeedItem> {
    const items = replayFile(o.file, {
      format: o.format,
      wiki: o.wiki,
      time: o.originalTime ? 'original' : 'shift',
      fromCursor: o.fromStart ? null : cursor,
      signal,
    });
    try {
      for await (const item of pace(items, { speed: o.speed, signal })) {
        if (item.kind !== 'checkpoint') progress.read++;
        if (item.cursor !== null) progress.cursor = item.cursor;
        yield item;
      }
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : 'reading the file failed';
      stop.abort();
      throw err;
    }
  }

  const spec: FeedSpec = { name: feed, restartOnEnd: false, open };
  const t0 = performance.now();
  let totals: FeedTotals;
  try {
    totals = await runFeed(
      spec,
      {
        prisma: () => o.prisma,
        masker: o.masker,
        scorer: o.scorer ?? createScorer(),
        clusters: new ClusterTracker(),
        batchSize: o.batchSize ?? 500,
        onBatch(_feed, r) {
          progress.stored += r.stored.length;
          progress.duplicates += r.duplicates;
          progress.dead += r.dead;
        },
      },
      stop.signal,
    );
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    ...totals,
    feed,
    startCursor,
    endCursor: await readCursor(o.prisma, feed),
    seconds,
    eventsPerSecond: seconds > 0 ? totals.read / seconds : 0,
    error,
    interrupted: o.signal.aborted,
  };
}
