import { jsonRoute } from '@/app/_lib/route';
import { modifyBlock, removeBlock } from '@/lib/services/block-change';

type Segment = { params: Promise<{ id: string }> };

/** PATCH { options }: modify (reblock) an active block (block.manage; audited). */
export const PATCH = jsonRoute<Segment>(async (_req, ctx, body, { params }) =>
  modifyBlock(ctx, { blockId: (await params).id, options: (body as { options?: never })?.options as never }),
);

/** DELETE { reason }: unblock; the block's anchor key is destroyed (block.manage; audited). */
export const DELETE = jsonRoute<Segment>(async (_req, ctx, body, { params }) =>
  removeBlock(ctx, { blockId: (await params).id, reason: (body as { reason?: string })?.reason ?? '' }),
);
