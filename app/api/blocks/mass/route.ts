import { jsonRoute } from '@/app/_lib/route';
import { massBlock, type TMassBlockRequest } from '@/lib/services/block-create';

/** POST { clusterId, options }: block every member of a cluster, at most 200, as one audited operation. */
export const POST = jsonRoute(async (_req, ctx, body) => massBlock(ctx, body as TMassBlockRequest));
