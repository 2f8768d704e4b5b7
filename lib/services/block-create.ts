import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/client';
import { authorize } from '../auth/permissions';
import { db } from '../db/client';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { destroyAnchorKey, sealAnchor } from '../blocks/anchor';
import { afterBlockChange } from '../blocks/after-change';
import { blockReason, effectiveExpiry, optionColumns, parseExpiry, ZBlockOptions, type BlockOptions } from '../blocks/options';
import { resolveTarget, serverBlockDeps, ZBlockTarget, type BlockDeps, type ResolvedTarget } from '../blocks/targets';
import { syncs } from '../blocks/wikis';
import { parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

export const ZBlockCreateRequest = z.object({ target: ZBlockTarget, options: ZBlockOptions });
export type TBlockCreateRequest = z.input<typeof ZBlockCreateRequest>;

/** Wikimedia's cap on one mass block. */
export const MASS_BLOCK_MAX = 200;
export const ZMassBlockRequest = z.object({
  clusterId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be a cluster id'),
  options: ZBlockOptions,
});
export type TMassBlockRequest = z.input<typeof ZMassBlockRequest>;

/** What callers (pages, APIs, tests) get back: pseudonyms and options only, never the anchor. */
export interface BlockSummary {
  id: string;
  wiki: string;
  targetType: string;
  targetLabel: string;
  expiresAt: string | null;
}


/** The audit row's view of a block: label, type, options; no anchor, no network. */
export function auditView(b: { targetType: string; targetLabel: string; prefix?: number | null; expiresAt: Date | null } & ReturnType<typeof optionColumns>) {
  return {
    target: { type: b.targetType, label: b.targetLabel, prefix: b.prefix ?? null },
    expiresAt: b.expiresAt?.toISOString() ?? null,
    partial: { pages: b.partialPages, namespaces: b.partialNamespaces },
    anonOnly: b.anonOnly,
    noCreate: b.noCreate,
    autoblock: b.autoblock,
  };
}

/** Insert one block row (and seal its anchor under a fresh key of its own); returns the row's summary. */
async function insertBlock(
  tx: Tx,
  deps: BlockDeps,
  t: ResolvedTarget,
  o: BlockOptions,
  by: { id: string | null; name: string },
  created: string[],
  extra: { massId?: string; reason: string },
) {
  const active = await tx.block.findFirst({ where: { targetKey: t.targetKey, wiki: o.wiki, endedAt: null }, select: { id: true } });
  if (active) throw new ConflictError(`${t.targetLabel} is already blocked on this wiki; modify that block instead.`);
  const now = deps.now();
  const expiresAt = effectiveExpiry(t.targetType, parseExpiry(o.expiry, now), now);
  const id = randomUUID();
  const anchorCt = t.anchor ? sealAnchor(deps.keysDir, id, t.anchor) : null;
  if (anchorCt) created.push(id);
  const cols = optionColumns(o, t.targetType);
  await tx.block.create({
    data: {
      id,
      wiki: o.wiki,
      targetType: t.targetType,
      targetLabel: t.targetLabel,
      targetKey: t.targetKey,
      epoch: t.epoch,
      family: t.anchor?.family ?? null,
      prefix: t.targetType === 'range' ? t.anchor!.prefix : null,
      anchorCt: anchorCt ? new Uint8Array(anchorCt) : null,
      expiresAt,
      reason: extra.reason,
      ...cols,
      massId: extra.massId ?? null,
      syncStatus: syncs(deps.wikis, o.wiki) ? 'pending' : 'none',
      createdById: by.id,
      createdByName: by.name,
    },
  });
  const summary: BlockSummary = { id, wiki: o.wiki, targetType: t.targetType, targetLabel: t.targetLabel, expiresAt: expiresAt?.toISOString() ?? null };
  return { summary, audit: auditView({ ...t, prefix: t.targetType === 'range' ? t.anchor!.prefix : null, expiresAt, ...cols }) };
}

function byOf(ctx: ServiceContext) {
  return ctx.actor.kind === 'user' ? { id: ctx.actor.id, name: ctx.actor.username } : { id: null, name: ctx.actor.name };
}

/** A failed transaction leaves no block; the keys it created for anchors are destroyed with it. */
async function cleanupOnFailure<R>(created: string[], deps: BlockDeps, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    for (const id of created) destroyAnchorKey(deps.keysDir, id);
    throw err;
  }
}

/**
 * block.create: block an IP actor, a pseudonymous range or a temporary account on one wiki (or on all wikis:
 * stewards only). The target is resolved on the server (lib/blocks/targets.ts); the anchor is sealed under a new
 * key of the block's own; one audit row; after commit the block matcher reloads and the sync job is queued.
 */
export async function createBlock(ctx: ServiceContext, raw: TBlockCreateRequest, deps: BlockDeps = serverBlockDeps()): Promise<BlockSummary> {
  const req = parseRequest(ZBlockCreateRequest, raw);
  if (req.options.wiki === '*') authorize(ctx.actor, 'block.global', '*');
  const reason = blockReason(req.options);
  const created: string[] = [];
  return cleanupOnFailure(created, deps, () =>
    executeVerb(ctx, {
      action: 'block.create',
      permission: 'block.manage',
      wiki: req.options.wiki,
      async run(tx) {
        const t = await resolveTarget(tx, deps, req.target);
        const { summary, audit } = await insertBlock(tx, deps, t, req.options, byOf(ctx), created, { reason });
        return { result: summary, audit: { targetType: 'block', targetId: summary.id, wiki: summary.wiki, reason, after: audit } };
      },
      afterCommit: () => afterBlockChange(ctx.db ?? db()),
    }),
  );
}

/**
 * block.mass: block every IP and temporary-account member of a cluster (at most 200, Wikimedia's cap) as ONE
 * audited operation: all blocks commit together with one audit row, or none does. Members already blocked on the
 * wiki are skipped and counted.
 */
export async function massBlock(
  ctx: ServiceContext,
  raw: TMassBlockRequest,
  deps: BlockDeps = serverBlockDeps(),
): Promise<{ massId: string; blocks: BlockSummary[]; skipped: number }> {
  const req = parseRequest(ZMassBlockRequest, raw);
  if (req.options.wiki === '*') authorize(ctx.actor, 'block.global', '*');
  authorize(ctx.actor, 'block.manage', req.options.wiki);
  const reason = blockReason(req.options);
  const prisma = ctx.db ?? db();
  const cluster = await prisma.cluster.findUnique({ where: { id: req.clusterId }, select: { detail: true, memberCount: true } });
  if (!cluster) throw new NotFoundError('No such cluster.');
  const members = (((cluster.detail ?? {}) as { members?: { key: string; kind: string; display: string }[] }).members ?? []).filter(
    (m) => m.kind === 'ip' || m.kind === 'temp',
  );
  const total = Math.max(members.length, cluster.memberCount);
  if (total > MASS_BLOCK_MAX)
    throw new ValidationError(`A mass block is limited to ${MASS_BLOCK_MAX} targets (Wikimedia's cap); this cluster has ${total} members.`, {
      clusterId: `more than ${MASS_BLOCK_MAX} members`,
    });
  if (!members.length) throw new ValidationError('This cluster has no member that can be blocked.', { clusterId: 'no blockable member' });
  const massId = randomUUID();
  const created: string[] = [];
  return cleanupOnFailure(created, deps, () =>
    executeVerb(ctx, {
      action: 'block.mass',
      permission: 'block.manage',
      wiki: req.options.wiki,
      async run(tx) {
        const blocks: BlockSummary[] = [];
        let skipped = 0;
        for (const m of members) {
          const target =
            m.kind === 'ip' ? { type: 'actor' as const, actorKey: m.key.replace(/^ip:/, '') } : { type: 'account' as const, name: m.display };
          try {
            const t = await resolveTarget(tx, deps, target);
            if (await tx.block.findFirst({ where: { targetKey: t.targetKey, wiki: req.options.wiki, endedAt: null }, select: { id: true } })) {
              skipped++;
              continue;
            }
            blocks.push((await insertBlock(tx, deps, t, req.options, byOf(ctx), created, { massId, reason })).summary);
          } catch (err) {
            if (err instanceof NotFoundError || err instanceof ValidationError) skipped++;
            else throw err;
          }
        }
        return {
          result: { massId, blocks, skipped },
          audit: {
            targetType: 'cluster',
            targetId: req.clusterId,
            wiki: req.options.wiki,
            reason,
            after: { massId, blocks: blocks.map((b) => ({ id: b.id, label: b.targetLabel })), skipped, expiry: req.options.expiry },
          },
        };
      },
      afterCommit: () => afterBlockChange(prisma),
    }),
  );
}
