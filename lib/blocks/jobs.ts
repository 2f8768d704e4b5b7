import { db } from '../db/client';
import { log } from '../log';
import { expireBlocks } from '../services/block-change';
import { onBlocksChanged } from './events';
import { startBlockMatcher } from './shared';
import { runBlockSync } from './sync';
import { serverBlockDeps, type BlockDeps } from './targets';
import { loadSyncTiming } from './wikis';
import { importWikiBlocks } from '../services/block-import';

/** Day one: import the blocks of every configured wiki that has no imported block yet (retried at the next start). */
async function firstImport(deps: BlockDeps): Promise<void> {
  for (const w of deps.wikis.filter((x) => x.import)) {
    try {
      if (await db().block.count({ where: { wiki: w.wiki, origin: 'import' }, take: 1 })) continue;
      const r = await importWikiBlocks({ actor: { kind: 'system', name: 'block-import' }, request: { via: 'system' } }, w, deps);
      log().info({ wiki: w.wiki, imported: r.imported, unsupported: r.unsupported }, 'imported the wiki\'s existing blocks');
    } catch (err) {
      log().warn({ wiki: w.wiki, err: { name: (err as Error).name, code: (err as { code?: string }).code } }, 'could not import the wiki\'s blocks; retrying at the next start');
    }
  }
}

/**
 * The server's block jobs: the matcher (enforcement on ingest); every minute the expiry sweep (expired blocks
 * end, their anchor keys are destroyed); the outbound sync to configured wikis after every block change and every
 * MASKPATROL_BLOCK_SYNC_INTERVAL_MS (10 s; retries with backoff: lib/blocks/sync.ts). Returns a stop function.
 */
export function startBlockJobs(intervalMs = 60_000, syncMs = loadSyncTiming().intervalMs): () => void {
  const stopMatcher = startBlockMatcher(intervalMs);
  const deps = serverBlockDeps();
  const sweep = () =>
    expireBlocks({ actor: { kind: 'system', name: 'block-expiry' } }, deps).then(
      (r) => r.expired.length && log().info({ blocks: r.expired.length }, 'blocks expired'),
      (err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'the block expiry sweep failed; retrying in a minute'),
    );
  let syncing: Promise<unknown> | null = null;
  const sync = () => {
    if (syncing || !deps.wikis.some((w) => w.sync)) return;
    syncing = runBlockSync(db(), deps)
      .catch((err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'the block sync failed; retrying'))
      .finally(() => (syncing = null));
  };
  const timers = [setInterval(() => void sweep(), intervalMs), setInterval(sync, syncMs)];
  for (const t of timers) t.unref();
  const off = onBlocksChanged(sync);
  void sweep();
  void firstImport(deps);
  return () => {
    off();
    for (const t of timers) clearInterval(t);
    stopMatcher();
  };
}
