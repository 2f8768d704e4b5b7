import { log } from '../log';
import { expireBlocks } from '../services/block-change';
import { startBlockMatcher } from './shared';
import { serverBlockDeps } from './targets';

/**
 * The server's block jobs: the matcher (enforcement on ingest) and, every minute, the expiry sweep (expired
 * blocks end, their anchor keys are destroyed). Returns a stop function.
 */
export function startBlockJobs(intervalMs = 60_000): () => void {
  const stopMatcher = startBlockMatcher(intervalMs);
  const sweep = () =>
    expireBlocks({ actor: { kind: 'system', name: 'block-expiry' } }, serverBlockDeps()).then(
      (r) => r.expired.length && log().info({ blocks: r.expired.length }, 'blocks expired'),
      (err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'the block expiry sweep failed; retrying in a minute'),
    );
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  void sweep();
  return () => {
    clearInterval(timer);
    stopMatcher();
  };
}
