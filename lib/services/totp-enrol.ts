import { z } from 'zod';
import { authorizeOwnAccount, type RoleHolding, type RoleName } from '../auth/permissions';
import { acceptStep, openSecret, replaceRecoveryCodes, sealSecret, totpRequired } from '../auth/second-factor';
import { matchStep, newSecret, otpauthUri } from '../auth/totp';
import { db } from '../db/client';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

/**
 * Self-service TOTP: start an enrolment (a pending secret), confirm it with a code (audited: totp.enrol,
 * fresh recovery codes), regenerate recovery codes, disable (only when no role requires it). Secrets and
 * codes are returned to the caller once and never reach audit rows or logs; audit snapshots name state only
 * (keys avoid "totp"/"secret", which the audit layer strips anyway).
 */
export const ZConfirmRequest = z.object({ code: z.string().trim().min(1, 'is required').max(16, 'is too long') });
export type TConfirmRequest = z.input<typeof ZConfirmRequest>;

export interface PendingEnrolment {
  /** base32, for manual entry */
  secret: string;
  /** otpauth:// URI for the QR code */
  uri: string;
}

/**
 * Start (or restart) an enrolment: a new secret is stored encrypted as *pending*; an enrolled secret stays
 * active until the new one is confirmed. Not audited: it changes nothing anybody can sign in with.
 */
export async function beginEnrolment(ctx: ServiceContext): Promise<PendingEnrolment> {
  authorizeOwnAccount(ctx.actor);
  const secret = newSecret();
  await (ctx.db ?? db()).user.update({
    where: { id: ctx.actor.id },
    data: { totpPendingEnc: sealSecret(ctx.actor.id, secret) },
  });
  return { secret, uri: otpauthUri(secret, ctx.actor.username) };
}

const holdings = (rows: { role: string; wiki: string }[]): RoleHolding[] => rows.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }));

/** Confirm the pending secret with a code from it: it becomes the account's secret; returns 10 recovery codes. */
export async function confirmEnrolment(ctx: ServiceContext, raw: TConfirmRequest): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseRequest(ZConfirmRequest, raw);
  return executeVerb(ctx, {
    action: 'totp.enrol',
    permission: 'own-account',
    wiki: null,
    async run(tx) {
      authorizeOwnAccount(ctx.actor);
      const user = await tx.user.findUnique({ where: { id: ctx.actor.id } });
      if (!user) throw new NotFoundError('No such user.');
      if (!user.totpPendingEnc) throw new ConflictError('Start the set-up again: no enrolment is pending.');
      const secret = openSecret(user.id, user.totpPendingEnc);
      const step = matchStep(secret, code);
      if (step === null) throw new ValidationError('That code is not valid. Check the time on your device and try again.', { code: 'invalid' });
      const now = new Date();
      // the confirming code is used: it cannot sign in afterwards (a new secret starts with a fresh counter)
      await tx.user.update({
        where: { id: user.id },
        data: { totpSecretEnc: user.totpPendingEnc, totpPendingEnc: null, totpEnrolledAt: now, totpLastStep: null },
      });
      await acceptStep(tx, user.id, step);
      const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
      return {
        result: { recoveryCodes },
        audit: {
          targetType: 'user',
          targetId: user.id,
          before: { secondFactor: user.totpEnrolledAt ? 'enrolled' : 'none' },
          after: { secondFactor: 'enrolled', recoveryCodes: recoveryCodes.length },
        },
      };
    },
  });
}

/** Ten fresh recovery codes (the old ones stop working). Needs a fresh step-up. */
export async function regenerateRecoveryCodes(ctx: ServiceContext): Promise<{ recoveryCodes: string[] }> {
  return executeVerb(ctx, {
    action: 'totp.recovery-regenerate',
    permission: 'own-account',
    stepUp: true,
    wiki: null,
    async run(tx) {
      authorizeOwnAccount(ctx.actor);
      const user = await tx.user.findUnique({ where: { id: ctx.actor.id } });
      if (!user?.totpSecretEnc) throw new ConflictError('Set up two-factor authentication first.');
      const left = await tx.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
      const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
      return {
        result: { recoveryCodes },
        audit: { targetType: 'user', targetId: user.id, before: { recoveryCodes: left }, after: { recoveryCodes: recoveryCodes.length } },
      };
    },
  });
}

/** Turn the second factor off: only for accounts whose roles do not require it. Needs a fresh step-up. */
export async function disableOwnTotp(ctx: ServiceContext): Promise<void> {
  await executeVerb(ctx, {
    action: 'totp.disable',
    permission: 'own-account',
    stepUp: true,
    wiki: null,
    async run(tx) {
      authorizeOwnAccount(ctx.actor);
      const user = await tx.user.findUnique({ where: { id: ctx.actor.id }, include: { roles: true } });
      if (!user?.totpSecretEnc) throw new ConflictError('Two-factor authentication is not set up.');
      if (totpRequired(holdings(user.roles)))
        throw new ValidationError('Your role requires two-factor authentication; you can set it up again, but not turn it off.');
      await tx.user.update({
        where: { id: user.id },
        data: { totpSecretEnc: null, totpPendingEnc: null, totpEnrolledAt: null, totpLastStep: null },
      });
      await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
      return {
        result: undefined,
        audit: { targetType: 'user', targetId: user.id, before: { secondFactor: 'enrolled' }, after: { secondFactor: 'none' } },
      };
    },
  });
}
