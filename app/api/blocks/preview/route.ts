import { jsonRoute } from '@/app/_lib/route';
import { collateralPreview, type TCollateralRequest } from '@/lib/blocks/collateral';

/** POST { target, wiki }: the collateral of that block over the last 30 days, counts only (block.manage). */
export const POST = jsonRoute(async (_req, ctx, body) => collateralPreview(ctx.actor, body as TCollateralRequest));
