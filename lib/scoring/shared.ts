import { createScorer, type Scorer } from './score';

/**
 * The process's one revert-risk scorer: every feed of the ingester and the signed /api/ingest endpoint feed
 * the same history (reverts seen on one feed raise the next edit's score on another). Held on globalThis
 * because Next.js bundles route handlers apart from the server's own modules.
 */
const g = globalThis as unknown as { __maskpatrolScorer?: Scorer };

export function sharedScorer(): Scorer {
  g.__maskpatrolScorer ??= createScorer();
  return g.__maskpatrolScorer;
}
