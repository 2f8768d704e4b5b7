import type { PrismaClient } from '../db/generated/client';
import type { Sql } from '../db/sql';
import type { FeedItem } from '../feed/result';
import type { Masker } from '../masking/mask';
import type { Scorer } from '../scoring/score';
import type { ClusterTracker } from '../clustering/tracker';
import type { MaskedEdit, VaultWrite } from '../masking/types';
import type { DeadLetter } from '../feed/result';
import type { BlockMatcher } from '../blocks/matcher';
import { setImmediate as turn } from 'node:timers/promises';
import { log } from '../log';
import { publishStored, type EditsStored } from './bus';
import { countStored } from './metrics';
import { classifyDbError, logFields } from './db-errors';
import { BatchWriter } from './resilient';
import { readCursor, recordFeedError, type Batch, type BatchResult } from './store';

/**
 * Runs one feed into the database: mask every event at the boundary, buffer, store in batches (edits,
 * vault rows, dead letters and the cursor in one transaction), publish after commit. Events the database
 * refuses are dead-lettered (resilient.ts); any other failed store is retried with backoff without losing
 * the buffer; a feed that ends or fails is reopened from the stored cursor. Stopping (AbortSignal) flushes
 * what is buffered. One batch is stored while the next is being read and masked; batches commit one at a
 * time, in order.
 */
export interface FeedSpec {
  /** stable name; the cursor and counters are kept under it */
  name: string;
  open(cursor: string | null, signal: AbortSignal): AsyncIterable<FeedItem>;
  /** restart the feed when it ends (live feeds); replays end for good */
  restartOnEnd?: boolean;
}

export interface IngestOptions {
  prisma: () => PrismaClient;
  /** a plain SQL client on the same database for storing batches (lib/db/sql.ts); absent: through `prisma` */
  sql?: () => Sql;
  masker: Masker;
  /** revert-risk scorer (step 4), shared by every feed of the process; absent: edits are stored unscored */
  scorer?: Scorer;
  /** cluster engine (step 4), shared by every feed of the process; absent: edits are not clustered */
  clusters?: ClusterTracker;
  batchSize?: number;
  /** flush a partial batch this long after its first item */
  flushMs?: number;
  /** extra range lengths to compute (active range blocks, step 7); default: the block matcher's */
  extraLengths?: () => Parameters<Masker['maskEdit']>[1];
  /** block enforcement (step 7): flags each edit of a blocked actor, range or account as evasion */
  blocks?: BlockMatcher;
  onBatch?(feed: string, r: BatchResult, ms: number): void;
  /** after each committed batch (default: the in-process bus; on PostgreSQL also NOTIFY, lib/ingest/listen.ts) */
  publish?(e: EditsStored): void;
}

export interface FeedTotals {
  read: number;
  stored: number;
  duplicates: number;
  dead: number;
}

/** Events per stored batch, and how long a partial batch may wait (bench:ingest measured these). */
export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_FLUSH_MS = 200;

/** items between two turns of the event loop (see runFeed) */
const TURN_EVERY = 64;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Consume one feed until it ends (or the signal aborts). Returns totals. */
export async function runFeed(spec: FeedSpec, opts: IngestOptions, signal: AbortSignal): Promise<FeedTotals> {
  const totals: FeedTotals = { read: 0, stored: 0, duplicates: 0, dead: 0 };
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const flushMs = opts.flushMs ?? DEFAULT_FLUSH_MS;
  let backoff = 1000;
  while (!signal.aborted) {
    let edits: MaskedEdit[] = [];
    let vault: VaultWrite[] = [];
    let dead: DeadLetter[] = [];
    let cursor: string | null = null;
    let firstAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let flushing: Promise<void> = Promise.resolve();
    let sinceTurn = 0;

    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!edits.length && !dead.length && cursor === null) return flushing;
      const batch = { feed: spec.name, edits, vault, dead, cursor, clusters: opts.clusters?.take() };
      edits = [];
      vault = [];
      dead = [];
      cursor = null;
      flushing = flushing.then(() => storeWithRetry(opts, batch, totals, signal));
      // awaited later (next full batch, end of feed); this only keeps an early rejection from counting
      // as unhandled in the meantime
      flushing.catch(() => {});
      return flushing;
    };

    try {
      const start = await readCursor(opts.prisma(), spec.name);
      for await (const item of spec.open(start, signal)) {
        if (item.kind === 'edit') {
          totals.read++;
          try {
            const r = opts.masker.maskEdit(item.edit, opts.extraLengths?.() ?? opts.blocks?.maskContext());
            const evades = opts.blocks?.match(r.masked);
            if (evades) r.masked.evasionBlockId = evades;
            if (opts.scorer) r.masked.risk = opts.scorer.score(r.masked);
            if (opts.clusters) r.masked.clusterId = opts.clusters.observe(r.masked.sourceId, r.masked);
            edits.push(r.masked);
            for (const v of r.vault) vault.push(v);
          } catch (err) {
            // the boundary's errors name fields only, never values
            dead.push({ source: item.edit.source, reason: `masking: ${(err as Error).message}`, size: 0 });
          }
        } else if (item.kind === 'dead-letter') {
          totals.read++;
          dead.push(item.deadLetter);
        }
        if (item.cursor !== null) cursor = item.cursor;
        // let the event loop turn now and then: a batch in flight is written to the database socket (and its reply
        // read) only between turns, and a source with its data already buffered would otherwise hold the loop for
        // a whole batch, leaving the database waiting for the rest of the statement
        if (++sinceTurn >= TURN_EVERY) {
          sinceTurn = 0;
          await turn();
        }
        if (!firstAt) firstAt = Date.now();
        if (edits.length + dead.length >= batchSize || Date.now() - firstAt >= flushMs) {
          firstAt = 0;
          // pipelined: wait for the batch before this one to commit, then store this one while the next
          // is read and masked (stores stay strictly in order, one at a time; at most two batches held)
          await flushing;
          void flush();
        } else timer ??= setTimeout(() => {
          firstAt = 0;
          void flush();
        }, flushMs);
        if (signal.aborted) break;
      }
      await flush();
      backoff = 1000;
      if (!spec.restartOnEnd) return totals;
    } catch (err) {
      await flush().catch(() => {});
      // a database error's message quotes values: record its code only
      const db = classifyDbError(err);
      const fromDb = db.sqlstate !== null || /^Prisma|DriverAdapter/.test((err as Error)?.name ?? '');
      const message = fromDb ? `database error (${db.kind}, SQLSTATE ${db.sqlstate ?? 'none'})` : err instanceof Error ? `${err.name}: ${err.message}` : 'feed failed';
      log().warn({ feed: spec.name, err: { name: (err as Error)?.name } }, 'feed stopped; reopening from the stored cursor');
      await recordFeedError(opts.prisma(), spec.name, message).catch(() => {});
    } finally {
      clearTimeout(timer);
    }
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, 60_000);
  }
  return totals;
}

/**
 * Store one batch until it is stored. Events the database refuses are isolated and dead-lettered by the
 * BatchWriter (resilient.ts); any other failure (connection lost, database restarting, serialization
 * failure, …) is retried with backoff, resuming where the writer stopped. Logs carry codes, never values.
 */
async function storeWithRetry(opts: IngestOptions, batch: Batch, totals: FeedTotals, signal: AbortSignal) {
  const writer = new BatchWriter(batch);
  let wait = 500;
  for (;;) {
    const t0 = Date.now();
    try {
      const r = await writer.store(opts.sql?.() ?? opts.prisma());
      totals.stored += r.stored.length;
      totals.duplicates += r.duplicates;
      totals.dead += r.dead;
      countStored(batch.feed, r.stored.length);
      if (r.stored.length) (opts.publish ?? publishStored)({ feed: batch.feed, ids: r.stored.map((s) => s.id.toString()) });
      opts.onBatch?.(batch.feed, r, Date.now() - t0);
      return;
    } catch (err) {
      const info = classifyDbError(err);
      const fields = { feed: batch.feed, retryInMs: wait, ...logFields(err, info) };
      if (info.kind === 'transient') log().warn(fields, 'storing a batch failed (transient); retrying');
      else log().error(fields, 'storing a batch failed; retrying');
      if (signal.aborted) throw err;
      await recordFeedError(opts.prisma(), batch.feed, `storing a batch failed (${info.kind}, SQLSTATE ${info.sqlstate ?? 'none'}); retrying`).catch(() => {});
      await sleep(wait, signal);
      wait = Math.min(wait * 2, 30_000);
    }
  }
}
