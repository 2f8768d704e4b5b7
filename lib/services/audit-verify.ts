import { authorize, GLOBAL } from '../auth/permissions';
import { verifyDatabase, type VerifyDbOptions } from '../audit/verify-db';
import { summarize, type VerificationSummary } from '../audit/summary';
import { db } from '../db/client';
import { executeVerb, type ServiceContext } from './verb';

export type { VerificationSummary };

/**
 * "Verify now": walk the chain and check the checkpoints, then record the result as an audited
 * 'audit.verify' row (the stored "last verification"). Authorized before the walk, which reads the whole
 * chain outside the verb's transaction (a long read must not hold the append lock or a transaction open).
 */
export async function verifyAuditNow(ctx: ServiceContext, o: VerifyDbOptions = {}): Promise<VerificationSummary> {
  authorize(ctx.actor, 'audit.verify', GLOBAL);
  const summary = summarize(await verifyDatabase(ctx.db ?? db(), o));
  return executeVerb(ctx, {
    action: 'audit.verify',
    permission: 'audit.verify',
    wiki: GLOBAL,
    async run() {
      return { result: summary, audit: { targetType: 'audit', targetId: 'chain', wiki: GLOBAL, after: { ...summary } } };
    },
  });
}
