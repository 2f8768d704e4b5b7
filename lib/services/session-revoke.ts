import { z } from 'zod';
import { GLOBAL, highestRank, rankOn, type RoleName } from '../auth/permissions';
import { ForbiddenError, NotFoundError, fromZodIssues } from '../errors';
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
      const user = await tx.user.findUnique({ where: { id: input.userId }, include: { roles: true } });
      if (!user) throw new NotFoundError('No such user.');
      const isSelf = ctx.actor.kind === 'user' && ctx.actor.id === user.id;
      if (!isSelf && highestRank(user.roles.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }))) > rankOn(ctx.actor, GLOBAL))
        throw new ForbiddenError('You cannot act on someone who outranks you.');
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
