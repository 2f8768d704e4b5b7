import { jsonRoute } from '@/app/_lib/route';
import { chainStatus, listAudit } from '@/lib/audit/queries';

/** GET: the latest audit rows and the chain's verification status. Stewards only. */
export const GET = jsonRoute(async (req, ctx) => {
  const limit = Number(new URL(req.url).searchParams.get('limit') ?? 200);
  return { chain: await chainStatus(ctx.actor), rows: await listAudit(ctx.actor, Number.isFinite(limit) ? limit : 200) };
});
