import type { DeadLetter } from '../feed/result';
import type { MaskedEdit } from '../masking/types';
import { log } from '../log';
import { classifyDbError, logFields, refusalReason } from './db-errors';
import { editRow, storeBatch, uniqueEdits, type Batch, type BatchResult, type StoreTarget, type StoredEdit } from './store';

/**
 * Stores one batch, isolating the events the database refuses.
 *
 * The hot path is one storeBatch call (one transaction, set-based). Only when the database refuses the
 * batch with a data error (db-errors.ts: SQLSTATE class 22, 23 but 23505, 54) is the batch bisected: its
 * edits are stored in halves, each half in a transaction of its own WITHOUT the cursor and without dead
 * letters; a half that is refused again is halved again, down to single events, and a single refused
 * event becomes a dead letter (reason: SQLSTATE, class, field — never the value) and its vault rows are
 * not stored. Last, one transaction stores every dead letter (the batch's own and the refused events') and
 * moves the cursor. So the cursor never passes an event that is neither stored nor dead-lettered, and
 * after a crash mid-bisection the feed resumes from the old cursor: the halves already committed are
 * skipped as duplicates (with their vault rows), the refused events are isolated again and dead-lettered
 * once, with the cursor.
 *
 * Any other error propagates (the caller retries with backoff) and the writer keeps its place: calling
 * `store` again resumes the bisection where it stopped instead of starting over, so what was stored is
 * counted and published once.
 */
export interface StoreOutcome extends BatchResult {
  /** events the database refused, now dead letters (included in `dead`) */
  refused: number;
}

export class BatchWriter {
  /** parts still to store, the next one last; null until the whole batch has been refused */
  private pending: MaskedEdit[][] | null = null;
  private readonly stored: StoredEdit[] = [];
  private duplicates = 0;
  private readonly refused: DeadLetter[] = [];

  constructor(readonly batch: Batch) {}

  async store(prisma: StoreTarget): Promise<StoreOutcome> {
    const b = this.batch;
    if (!this.pending) {
      try {
        return { ...(await storeBatch(prisma, b)), refused: 0 };
      } catch (err) {
        const info = classifyDbError(err);
        if (info.kind !== 'data') throw err;
        log().warn({ feed: b.feed, events: b.edits.length, ...logFields(err, info) }, 'the database refused a batch; isolating the refused events');
        // a second copy of an event in the batch would only be refused (or skipped) a second time
        const edits = uniqueEdits(b.edits);
        this.duplicates = b.edits.length - edits.length;
        this.pending = halves(edits);
      }
    }
    while (this.pending.length) {
      const part = this.pending[this.pending.length - 1]!;
      try {
        const r = await storeBatch(prisma, { feed: b.feed, edits: part, vault: b.vault, dead: [], cursor: null });
        this.pending.pop();
        this.stored.push(...r.stored);
        this.duplicates += r.duplicates;
      } catch (err) {
        const info = classifyDbError(err);
        if (info.kind !== 'data') throw err;
        this.pending.pop();
        if (part.length > 1) this.pending.push(...halves(part));
        else {
          const e = part[0]!;
          this.refused.push({ source: e.source, reason: refusalReason(info), size: Buffer.byteLength(JSON.stringify(editRow(e))) });
          log().warn({ feed: b.feed, source: e.source, ...logFields(err, info) }, 'the database refused an event; dead-lettered');
        }
      }
    }
    const last = await storeBatch(prisma, { feed: b.feed, edits: [], vault: [], dead: [...b.dead, ...this.refused], cursor: b.cursor, clusters: b.clusters });
    return { stored: this.stored, duplicates: this.duplicates, dead: last.dead, refused: this.refused.length };
  }
}

/** The two halves of a list as a stack: the first half on top (stored first). */
function halves(list: MaskedEdit[]): MaskedEdit[][] {
  if (list.length <= 1) return list.length ? [list] : [];
  const mid = Math.ceil(list.length / 2);
  return [list.slice(mid), list.slice(0, mid)];
}
