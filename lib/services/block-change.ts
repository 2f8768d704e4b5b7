import fs from 'node:fs';
import { z } from 'zod';
import { GLOBAL, authorize, canOnAnyWiki } from '../auth/permissions';
import { db } from '../db/client';
import { ForbiddenError, NotFoundError } from '../errors';
import { blockKeyDir, destroyAnchorKey } from '../blocks/anchor';
import { afterBlockChange } from '../blocks/after-change';
import { blockReason, effectiveExpiry, optionColumns, parseExpiry, ZBlockOptions } from '../blocks/options';
import { serverBlockDeps, type BlockDeps } from '../blocks/targets';
import { auditView, type BlockSummary } from './block-create';
import { parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

const ZBlockId = z.string().uuid('must be a block id');
export const ZBlockModifyRequest = z.object({ blockId: ZBlockId, options: ZBlockOptions.omit({ wiki: true }) });
export type TBlockModifyRequest = z.input<typeof ZBlockModifyRequest>;
export const ZBlockRemoveRequest = z.object({
  blockId: ZBlockId,
  reason: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
});
export type TBlockRemoveRequest = z.input<typeof ZBlockRemoveRequest>;


async function activeBlock(ctx: ServiceContext, id: string) {
  // someone who may block nowhere learns nothing about the block (not even whether it exists); the verb then
  // checks block.manage on the block's own wiki
  if (!canOnAnyWiki(ctx.actor, 'block.manage')) throw new ForbiddenError();
  const b = await (ctx.db ?? db()).block.findUnique({ where: { id } });
  if (!b || b.endedAt) throw new NotFoundError('No active block with that id.');
  if (b.wiki === GLOBAL) authorize(ctx.actor, 'block.global', GLOBAL);
  return b;
}

const name = (ctx: ServiceContext) => (ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.name);

/** block.modify (MediaWiki's reblock): new expiry (from now), reason and options; target and wiki stay. */
export async function modifyBlock(ctx: ServiceContext, raw: TBlockModifyRequest, deps: BlockDeps = serverBlockDeps()): Promise<BlockSummary> {
  const req = parseRequest(ZBlockModifyRequest, raw);
  const b = await activeBlock(ctx, req.blockId);
  const reason = blockReason(req.options);
  return executeVerb(ctx, {
    action: 'block.modify',
    permission: 'block.manage',
    wiki: b.wiki,
    async run(tx) {
      const now = deps.now();
      const expiresAt = effectiveExpiry(b.targetType, parseExpiry(req.options.expiry, now), now);
      const cols = optionColumns({ ...req.options, wiki: b.wiki }, b.targetType);
      const { count } = await tx.block.updateMany({ where: { id: b.id, endedAt: null }, data: { expiresAt, reason, ...cols, syncStatus: b.syncStatus === 'none' ? 'none' : 'pending' } });
      if (count !== 1) throw new NotFoundError('No active block with that id.');
      return {
        result: { id: b.id, wiki: b.wiki, targetType: b.targetType, targetLabel: b.targetLabel, expiresAt: expiresAt?.toISOString() ?? null },
        audit: { targetType: 'block', targetId: b.id, wiki: b.wiki, reason, before: { ...auditView(b), reason: b.reason }, after: auditView({ ...b, expiresAt, ...cols }) },
      };
    },
    afterCommit: () => afterBlockChange(ctx.db ?? db()),
  });
}

/** block.remove (unblock): the block ends now; after commit its anchor key is destroyed. */
export async function removeBlock(ctx: ServiceContext, raw: TBlockRemoveRequest, deps: BlockDeps = serverBlockDeps()): Promise<{ id: string }> {
  const req = parseRequest(ZBlockRemoveRequest, raw);
  const b = await activeBlock(ctx, req.blockId);
  return executeVerb(ctx, {
    action: 'block.remove',
    permission: 'block.manage',
    wiki: b.wiki,
    async run(tx) {
      const { count } = await tx.block.updateMany({
        where: { id: b.id, endedAt: null },
        data: { endedAt: deps.now(), endReason: 'unblocked', endedByName: name(ctx), syncStatus: b.syncStatus === 'none' ? 'none' : 'pending' },
      });
      if (count !== 1) throw new NotFoundError('No active block with that id.');
      return { result: { id: b.id }, audit: { targetType: 'block', targetId: b.id, wiki: b.wiki, reason: req.reason, before: { ...auditView(b), reason: b.reason } } };
    },
    afterCommit: async () => {
      destroyAnchorKey(deps.keysDir, b.id);
      await afterBlockChange(ctx.db ?? db());
    },
  });
}

/**
 * block.expire (a scheduled job, system actor): blocks whose expiry has passed end now, in one audited
 * transaction; after commit their anchor keys are destroyed. It also destroys the key of any block that ended
 * without its key being destroyed (a crash between commit and destruction). Nothing expired: no audit row.
 */
export async function expireBlocks(ctx: ServiceContext, deps: BlockDeps = serverBlockDeps()): Promise<{ expired: string[]; orphanKeys: number }> {
  const prisma = ctx.db ?? db();
  const now = deps.now();
  const due = await prisma.block.findMany({ where: { endedAt: null, expiresAt: { lte: now } }, select: { id: true }, take: 5000 });
  let expired: string[] = [];
  if (due.length) {
    expired = await executeVerb(ctx, {
      action: 'block.expire',
      permission: 'block.manage',
      wiki: GLOBAL,
      async run(tx) {
        // RETURNING: another instance's sweep may have ended some of them first (then this one audits the rest)
        const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
          `UPDATE block SET "endedAt" = $1, "endReason" = 'expired', "endedByName" = 'expiry', "updatedAt" = now()
           WHERE id = ANY($2::uuid[]) AND "endedAt" IS NULL RETURNING id::text AS id`,
          now,
          due.map((d) => d.id),
        );
        if (!rows.length) throw new NothingDue();
        const ids = rows.map((r) => r.id);
        return { result: ids, audit: { targetType: 'block', wiki: GLOBAL, reason: 'expired', after: { blocks: ids } } };
      },
    }).catch((err: unknown) => {
      if (err instanceof NothingDue) return [];
      throw err;
    });
    for (const id of expired) destroyAnchorKey(deps.keysDir, id);
    await afterBlockChange(prisma);
  }
  return { expired, orphanKeys: await destroyOrphanKeys(deps, prisma) };
}

async function destroyOrphanKeys(deps: BlockDeps, prisma: ReturnType<typeof db>): Promise<number> {
  let names: string[];
  try {
    names = fs.readdirSync(blockKeyDir(deps.keysDir)).filter((n) => /^[0-9a-f-]{36}\.key$/.test(n));
  } catch {
    return 0;
  }
  if (!names.length) return 0;
  const ids = names.map((n) => n.slice(0, 36));
  const live = new Set((await prisma.block.findMany({ where: { id: { in: ids }, endedAt: null }, select: { id: true } })).map((b) => b.id));
  // a key without a block row may belong to a block being created right now: only ended blocks' keys go
  const ended = new Set((await prisma.block.findMany({ where: { id: { in: ids }, endedAt: { not: null } }, select: { id: true } })).map((b) => b.id));
  let n = 0;
  for (const id of ids) if (!live.has(id) && ended.has(id) && destroyAnchorKey(deps.keysDir, id)) n++;
  return n;
}


class NothingDue extends Error {}
