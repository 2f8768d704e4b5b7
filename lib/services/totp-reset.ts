import { z } from 'zod';
import { GLOBAL } from '../auth/permissions';
import { replaceRecoveryCodes, sealSecret } from '../auth/second-factor';
import { newSecret } from '../auth/totp';
import { NotFoundError } from '../errors';
import { loadTargetUser } from './target-user';
import { executeVerb, type ServiceContext } from './verb';
import { ZUserActionRequest, parseRequest } from './schemas';

export const ZTotpResetRequest = ZUserActionRequest;
export type TTotpResetRequest = z.input<typeof ZTotpResetRequest>;

/**
 * A steward (or an operator tool) removes someone's second factor — lost phone and lost recovery codes.
 * Outranking as for role changes; ends the target's sessions; needs a fresh step-up. A user whose role
 * requires TOTP must enrol again at their next sign-in.
 */
export async function resetTotp(ctx: ServiceContext, raw: TTotpResetRequest): Promise<{ id: string }> {
  const input = parseRequest(ZTotpResetRequest, raw);
  return executeVerb(ctx, {
    action: 'totp.reset',
    permission: 'user.manage',
    stepUp: true,
    wiki: GLOBAL,
    async run(tx) {
      const user = await loadTargetUser(tx, ctx.actor, input.userId, 'Reset your own second factor on your account page (set it up again there).');
      await tx.user.update({
        where: { id: user.id },
        data: { totpSecretEnc: null, totpPendingEnc: null, totpEnrolledAt: null, totpLastStep: null, sessionVersion: { increment: 1 } },
      });
      await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
      return {
        result: { id: user.id },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          before: { secondFactor: user.totpSecretEnc ? 'enrolled' : 'none' },
          after: { secondFactor: 'none' },
        },
      };
    },
  });
}

/**
 * Operator provisioning (npm run users:totp -- --enrol): enrol a user directly and return the secret and
 * recovery codes once, for handing over on a safe channel. System actors only ('totp.provision').
 */
export async function provisionTotp(ctx: ServiceContext, raw: TTotpResetRequest): Promise<{ secret: string; recoveryCodes: string[] }> {
  const input = parseRequest(ZTotpResetRequest, raw);
  return executeVerb(ctx, {
    action: 'totp.enrol',
    permission: 'totp.provision',
    wiki: GLOBAL,
    async run(tx) {
      const user = await tx.user.findUnique({ where: { id: input.userId } });
      if (!user) throw new NotFoundError('No such user.');
      const secret = newSecret();
      await tx.user.update({
        where: { id: user.id },
        data: { totpSecretEnc: sealSecret(user.id, secret), totpPendingEnc: null, totpEnrolledAt: new Date(), totpLastStep: null },
      });
      const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
      return {
        result: { secret, recoveryCodes },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          before: { secondFactor: user.totpEnrolledAt ? 'enrolled' : 'none' },
          after: { secondFactor: 'enrolled', recoveryCodes: recoveryCodes.length },
        },
      };
    },
  });
}
