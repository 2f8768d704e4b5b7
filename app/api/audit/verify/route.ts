import { jsonRoute } from '@/app/_lib/route';
import { verifyAuditNow } from '@/lib/services/audit-verify';

/** POST: verify the audit chain and its checkpoints now (audited as 'audit.verify'). Stewards only. */
export const POST = jsonRoute(async (_req, ctx) => ({ verification: await verifyAuditNow(ctx) }));
