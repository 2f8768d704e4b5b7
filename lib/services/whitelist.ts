import { z } from 'zod';
import { canOnAnyWiki } from '../auth/permissions';
import { db } from '../db/client';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { actorKeyOf } from '../edits/queries';
import { publishQueueEvent } from '../ingest/bus';
import { notifyQueueEvent } from '../ingest/listen';
import { ZEditId } from './edit-review';
import { ZReason, ZWiki, parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

export const ZWhitelistAddRequest = z.object({ editId: ZEditId, reason: ZReason });
export type TWhitelistAddRequest = z.input<typeof ZWhitelistAddRequest>;

export const ZWhitelistRemoveRequest = z.object({
  wiki: ZWiki.refine((w) => w !== '*', 'must name one wiki'),
  actorKey: z.string().min(1, 'must name an editor').max(300, 'is too long'),
  reason: ZReason,
});
export type TWhitelistRemoveRequest = z.input<typeof ZWhitelistRemoveRequest>;

export interface WhitelistResult {
  wiki: string;
  actorKey: string;
  actorName: string;
  whitelisted: boolean;
  /** nothing changed (already on / already off the list): not audited */
  unchanged: boolean;
}

/**
 * Trust the editor of an edit on that edit's wiki (whitelist.add): their edits leave the default queue view of
 * every patroller of the wiki. The editor is taken from the stored edit (pseudonym key or account name), never
 * from the client. Needs whitelist.manage on the wiki; idempotent.
 */
export async function whitelistEditor(ctx: ServiceContext, raw: TWhitelistAddRequest): Promise<WhitelistResult> {
  const input = parseRequest(ZWhitelistAddRequest, raw);
  const actor = ctx.actor;
  if (!canOnAnyWiki(actor, 'whitelist.manage')) throw new ForbiddenError();
  if (actor.kind !== 'user') throw new ValidationError('The whitelist is kept by signed-in users.');
  const prisma = ctx.db ?? db();
  const edit = await prisma.edit.findUnique({
    where: { id: BigInt(input.editId) },
    select: { wiki: true, actorKind: true, actorName: true, ipKey: true },
  });
  if (!edit) throw new NotFoundError('No such edit.');
  const actorKey = actorKeyOf(edit);
  return executeVerb(ctx, {
    action: 'whitelist.add',
    permission: 'whitelist.manage',
    wiki: edit.wiki,
    async run(tx) {
      const { count } = await tx.whitelistEntry.createMany({
        data: [{ wiki: edit.wiki, actorKind: edit.actorKind, actorKey, actorName: edit.actorName, addedById: actor.id, addedByName: actor.username }],
        skipDuplicates: true,
      });
      if (count === 0) throw new Unchanged();
      const result: WhitelistResult = { wiki: edit.wiki, actorKey, actorName: edit.actorName, whitelisted: true, unchanged: false };
      await notifyQueueEvent(tx, { type: 'whitelist', wiki: edit.wiki, actorKey, whitelisted: true });
      return {
        result,
        audit: { targetType: 'actor', targetId: actorKey, wiki: edit.wiki, reason: input.reason, after: { actorName: edit.actorName, actorKind: edit.actorKind } },
      };
    },
    afterCommit: (r) => publishQueueEvent({ type: 'whitelist', wiki: r.wiki, actorKey: r.actorKey, whitelisted: true }),
  }).catch((err: unknown) => {
    if (err instanceof Unchanged) return { wiki: edit.wiki, actorKey, actorName: edit.actorName, whitelisted: true, unchanged: true };
    throw err;
  });
}

/** Take an editor off a wiki's whitelist (whitelist.remove). Needs whitelist.manage on that wiki. */
export async function unwhitelistEditor(ctx: ServiceContext, raw: TWhitelistRemoveRequest): Promise<WhitelistResult> {
  const input = parseRequest(ZWhitelistRemoveRequest, raw);
  const { wiki, actorKey, reason } = input;
  return executeVerb(ctx, {
    action: 'whitelist.remove',
    permission: 'whitelist.manage',
    wiki,
    async run(tx) {
      const entry = await tx.whitelistEntry.findUnique({ where: { wiki_actorKey: { wiki, actorKey } } });
      if (!entry) throw new NotFoundError('That editor is not on the whitelist of this wiki.');
      await tx.whitelistEntry.delete({ where: { id: entry.id } });
      const result: WhitelistResult = { wiki, actorKey, actorName: entry.actorName, whitelisted: false, unchanged: false };
      await notifyQueueEvent(tx, { type: 'whitelist', wiki, actorKey, whitelisted: false });
      return {
        result,
        audit: {
          targetType: 'actor',
          targetId: actorKey,
          wiki,
          reason,
          before: { actorName: entry.actorName, actorKind: entry.actorKind, addedBy: entry.addedByName, addedAt: entry.createdAt.toISOString() },
        },
      };
    },
    afterCommit: (r) => publishQueueEvent({ type: 'whitelist', wiki: r.wiki, actorKey: r.actorKey, whitelisted: false }),
  });
}

class Unchanged extends Error {}
