import { z } from 'zod';
import { GLOBAL } from '../auth/permissions';
import { loadTargetUser } from './target-user';
import { executeVerb, type ServiceContext } from './verb';
import { ZUserActionRequest, parseRequest } from './schemas';

export const ZEndSessionsRequest = ZUserActionRequest;
export type TEndSessionsRequest = z.input<typeof ZEndSessionsRequest>;

/** End every session of a user at once: their next request finds the session version changed. */
export async function endSessions(ctx: ServiceContext, raw: TEndSessionsRequest): Promise<{ id: string }> {
  const input = parseRequest(ZEndSessionsRequest, raw);
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
