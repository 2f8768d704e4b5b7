import { z } from 'zod';
import { GLOBAL } from '../auth/permissions';
import { fromZodIssues } from '../errors';
import { loadTargetUser } from './target-user';
import { executeVerb, type ServiceContext } from './verb';
import { ZReason } from './schemas';

export const ZEndSessionsRequest = z.object({
  userId: z.string().uuid('must be a user id'),
  reason: ZReason,
});
export type TEndSessionsRequest = z.input<typeof ZEndSessionsRequest>;

/** End every session of a user at once: their next request finds the session version changed. */
export async function endSessions(ctx: ServiceContext, raw: TEndSessionsRequest): Promise<{ id: string }> {
  const parsed = ZEndSessionsRequest.safeParse(raw);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  const input = parsed.data;
  return executeVerb(ctx, {
    action: 'session.revoke',
    permission: 'user.manage',
    wiki: GLOBAL,
    async run(tx) {
      const user = await loadTargetUser(tx, ctx.actor, input.userId, 'allowed');
      const updated = await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
      return {
        result: { id: user.id },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          before: { sessionVersion: user.sessionVersion },
          after: { sessionVersion: updated.sessionVersion },
        },
      };
    },
  });
}
