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
