import { jsonRoute } from '@/app/_lib/route';
import { blockLog, listBlocks } from '@/lib/blocks/queries';
import { createBlock, type TBlockCreateRequest } from '@/lib/services/block-create';

/** GET: active blocks, ended ones (?ended=1) and the block log (block.view). */
export const GET = jsonRoute(async (req, ctx) => {
  const ended = new URL(req.url).searchParams.get('ended') === '1';
  return { blocks: await listBlocks(ctx.actor, { ended }), log: await blockLog(ctx.actor) };
});

/** POST { target, options }: block an actor, a range or a temporary account (block.manage; audited). */
export const POST = jsonRoute(async (_req, ctx, body) => createBlock(ctx, body as TBlockCreateRequest));
