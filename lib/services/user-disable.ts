import { z } from 'zod';
import { GLOBAL } from '../auth/permissions';
import { loadTargetUser } from './target-user';
import { executeVerb, type ServiceContext } from './verb';
import { ZReason, ZUserId, parseRequest } from './schemas';

export const ZSetDisabledRequest = z.object({
  userId: ZUserId,
  disabled: z.boolean(),
  reason: ZReason,
});
export type TSetDisabledRequest = z.input<typeof ZSetDisabledRequest>;

/** Disable (ends every session at once) or re-enable an account. */
export async function setUserDisabled(ctx: ServiceContext, raw: TSetDisabledRequest): Promise<{ id: string; disabled: boolean }> {
  const input = parseRequest(ZSetDisabledRequest, raw);
  return executeVerb(ctx, {
    action: input.disabled ? 'user.disable' : 'user.enable',
    permission: 'user.manage',
    stepUp: true,
    wiki: GLOBAL,
    async run(tx) {
      const user = await loadTargetUser(tx, ctx.actor, input.userId, 'You cannot disable or enable your own account.');
      await tx.user.update({
        where: { id: user.id },
        data: { disabled: input.disabled, sessionVersion: { increment: 1 } },
      });
      return {
        result: { id: user.id, disabled: input.disabled },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          before: { disabled: user.disabled },
          after: { disabled: input.disabled },
        },
      };
    },
  });
}
