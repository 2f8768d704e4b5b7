import { existingBlockMatcher } from '../blocks/shared';
import { createScorer, type Scorer } from './score';

/**
 * The process's one revert-risk scorer: every feed of the ingester and the signed /api/ingest endpoint feed
 * the same history (reverts seen on one feed raise the next edit's score on another). Held on globalThis
 * because Next.js bundles route handlers apart from the server's own modules.
 */
const g = globalThis as unknown as { __maskpatrolScorer?: Scorer };

export function sharedScorer(): Scorer {
  // blocked actors and ranges raise the score (weights "blocked" / "rangeBlocked"), so evasion ranks high
  g.__maskpatrolScorer ??= createScorer({
    isBlocked: (actor, ranges, wiki) => existingBlockMatcher()?.blockedFor(actor, ranges, wiki) ?? false,
  });
  return g.__maskpatrolScorer;
}
