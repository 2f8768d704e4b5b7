import { authorize, GLOBAL } from '../auth/permissions';
import { verifyDatabase, type VerifyDbOptions } from '../audit/verify-db';
import type { VerifyReport } from '../audit/verify';
import { db } from '../db/client';
import { executeVerb, type ServiceContext } from './verb';

/** What a verification records (the audit row's `after`) and the steward's view shows. JSON-safe. */
export interface VerificationSummary {
  ok: boolean;
  rows: number;
  headSeq: string | null;
  checkpoints: number;
  lastCheckpointSeq: string | null;
  /** the first problems (at most 20), each named by its row or checkpoint seq */
  problems: { kind: string; seq: string | null; message: string }[];
  problemCount: number;
}

export function summarize(r: VerifyReport): VerificationSummary {
  return {
    ok: r.ok,
    rows: r.rows,
    headSeq: r.head?.seq.toString() ?? null,
    checkpoints: r.checkpoints.signedValid,
    lastCheckpointSeq: r.checkpoints.last?.toString() ?? null,
    problems: r.problems.slice(0, 20).map((p) => ({ kind: p.kind, seq: p.seq?.toString() ?? null, message: p.message })),
    problemCount: r.problems.length,
  };
}

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
