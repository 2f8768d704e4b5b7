import { bus } from '../ingest/bus';

/**
 * "The set of active blocks changed" (a block was created, modified, removed, expired or imported): published
 * after the verb committed; the process's block matcher reloads on it (lib/blocks/matcher.ts). On PostgreSQL
 * other instances hear it through NOTIFY maskpatrol_blocks (lib/blocks/listen.ts).
 */
export function publishBlocksChanged(): void {
  bus().emit('blocks');
}

export function onBlocksChanged(fn: () => void): () => void {
  bus().on('blocks', fn);
  return () => bus().off('blocks', fn);
}
