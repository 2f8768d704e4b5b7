import { EventEmitter } from 'node:events';

/**
 * Live fan-out of stored edits to the web tier. In-process (the embedded default, and every PostgreSQL
 * instance for its own ingester); across PostgreSQL instances the ingester also NOTIFYs `maskpatrol_edits`
 * and each instance re-publishes what it hears (lib/ingest/listen.ts). Payloads carry ids only.
 */
export interface EditsStored {
  feed: string;
  ids: string[];
}

const g = globalThis as unknown as { __maskpatrolBus?: EventEmitter };

export function bus(): EventEmitter {
  if (!g.__maskpatrolBus) {
    g.__maskpatrolBus = new EventEmitter();
    g.__maskpatrolBus.setMaxListeners(1000);
  }
  return g.__maskpatrolBus;
}

export function publishStored(e: EditsStored): void {
  bus().emit('edits', e);
}

export function onStored(fn: (e: EditsStored) => void): () => void {
  bus().on('edits', fn);
  return () => bus().off('edits', fn);
}

/**
 * Queue state shared by a wiki's patrollers, published after the verb that changed it committed
 * (lib/services/edit-review.ts, lib/services/whitelist.ts) and pushed to open queues over the live stream.
 * Other instances on the same PostgreSQL hear it too: the verb NOTIFYs `maskpatrol_queue` inside its
 * transaction (delivered at commit) and their listeners re-publish it here (lib/ingest/listen.ts).
 */
export type QueueEvent =
  | { type: 'review'; wiki: string; editId: string; review: { by: string; at: string } | null }
  | { type: 'whitelist'; wiki: string; actorKey: string; whitelisted: boolean };

export function publishQueueEvent(e: QueueEvent): void {
  bus().emit('queue', e);
}

export function onQueueEvent(fn: (e: QueueEvent) => void): () => void {
  bus().on('queue', fn);
  return () => bus().off('queue', fn);
}
