import { randomUUID } from 'node:crypto';
import type { MaskedEdit } from '../masking/types';
import { createClusterEngine, type ClusterEngine } from './engine';
import type { ClusterSnapshot } from './types';

/**
 * The ingester's view of the cluster engine: observe each edit in arrival order, and with each batch take
 * the snapshots of the clusters that changed since the last batch (of any feed of the process) to upsert
 * in the batch's transaction. Each take carries a revision that only grows (wall-clock based, so it also
 * grows across restarts): the store never lets an older snapshot overwrite a newer one, whichever feed's
 * batch commits first.
 */
export class ClusterTracker {
  private mark: number;
  private lastRev = 0n;

  constructor(readonly engine: ClusterEngine = createClusterEngine({}, { newId: () => randomUUID() })) {
    this.mark = engine.mark();
  }

  /** Observe one edit (after masking and scoring); returns the actor's cluster id, if any. */
  observe(id: string, edit: MaskedEdit): string | undefined {
    return this.engine.observe({ id, edit, score: edit.risk?.score }).clusterId ?? undefined;
  }

  /** The clusters changed since the previous take, or undefined when none did. */
  take(): { rev: bigint; snapshots: ClusterSnapshot[] } | undefined {
    const snapshots = this.engine.changedSince(this.mark);
    this.mark = this.engine.mark();
    if (!snapshots.length) return undefined;
    const clock = BigInt(Date.now()) * 1000n;
    this.lastRev = clock > this.lastRev ? clock : this.lastRev + 1n;
    return { rev: this.lastRev, snapshots };
  }
}

const g = globalThis as unknown as { __maskpatrolClusters?: ClusterTracker };

/** The process's one tracker (the feeds and the signed /api/ingest endpoint share it). */
export function sharedClusterTracker(): ClusterTracker {
  g.__maskpatrolClusters ??= new ClusterTracker();
  return g.__maskpatrolClusters;
}
