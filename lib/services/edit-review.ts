import { z } from 'zod';
import { authorize, canOnAnyWiki } from '../auth/permissions';
import { db } from '../db/client';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { publishQueueEvent } from '../ingest/bus';
import { notifyQueueEvent } from '../ingest/listen';
import { parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

export const ZEditId = z.string().trim().regex(/^\d{1,19}$/, 'must be an edit id');

export const ZReviewRequest = z.object({ editId: ZEditId });
export type TReviewRequest = z.input<typeof ZReviewRequest>;

export interface ReviewResult {
  editId: string;
  wiki: string;
  review: { by: string; at: string };
  /** true when someone had reviewed it already: nothing changed, nothing audited */
  alreadyReviewed: boolean;
}

/** Thrown inside the transaction when a concurrent reviewer won: rolls back (no audit row) and reads theirs. */
class AlreadyReviewed extends Error {}

/**
 * Mark an edit reviewed for the whole team (MediaWiki's patrolled flag): one row per edit, idempotent.
 * Needs edit.review on the edit's wiki. The first review is audited (edit.review) and pushed to open queues.
 */
export async function reviewEdit(ctx: ServiceContext, raw: TReviewRequest): Promise<ReviewResult> {
  const input = parseRequest(ZReviewRequest, raw);
  const actor = ctx.actor;
  if (!canOnAnyWiki(actor, 'edit.review')) throw new ForbiddenError();
  if (actor.kind !== 'user') throw new ValidationError('Reviews are made by signed-in users.');
  const prisma = ctx.db ?? db();
  const editId = BigInt(input.editId);
  const edit = await prisma.edit.findUnique({ where: { id: editId }, select: { wiki: true, review: true } });
  if (!edit) throw new NotFoundError('No such edit.');
  const existing = async (): Promise<ReviewResult> => {
    authorize(actor, 'edit.review', edit.wiki);
    const r = await prisma.editReview.findUniqueOrThrow({ where: { editId } });
    return { editId: editId.toString(), wiki: edit.wiki, review: { by: r.reviewerName, at: r.reviewedAt.toISOString() }, alreadyReviewed: true };
  };
  if (edit.review) return existing();
  try {
    return await executeVerb(ctx, {
      action: 'edit.review',
      permission: 'edit.review',
      wiki: edit.wiki,
      async run(tx) {
        const reviewedAt = new Date();
        const { count } = await tx.editReview.createMany({
          data: [{ editId, wiki: edit.wiki, reviewerId: actor.id, reviewerName: actor.username, reviewedAt }],
          skipDuplicates: true,
        });
        if (count === 0) throw new AlreadyReviewed();
        const result: ReviewResult = {
          editId: editId.toString(),
          wiki: edit.wiki,
          review: { by: actor.username, at: reviewedAt.toISOString() },
          alreadyReviewed: false,
        };
        await notifyQueueEvent(tx, { type: 'review', wiki: result.wiki, editId: result.editId, review: result.review });
        return { result, audit: { targetType: 'edit', targetId: editId.toString(), wiki: edit.wiki, after: { reviewedAt: result.review.at } } };
      },
      afterCommit(r) {
        publishQueueEvent({ type: 'review', wiki: r.wiki, editId: r.editId, review: r.review });
      },
    });
  } catch (err) {
    if (err instanceof AlreadyReviewed) return existing();
    throw err;
  }
}
