import { z } from 'zod';
import { canOnAnyWiki, GLOBAL, type RoleName } from '../auth/permissions';
import type { Tx } from '../db/client';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { loadTargetUser } from './target-user';
import { findIps } from '../masking/text';
import { ZUserId, ZWiki, parseRequest } from './schemas';
import { executeVerb, type ServiceContext } from './verb';

/**
 * Stewards' reveal oversight verbs (permission reveal.manage, audited): record a holder's signed access
 * agreement, grant or withdraw an admin's individual reveal permission, suspend and restore someone's reveal
 * permission, review a reveal. And the holder's own acknowledgement of the agreement on record.
 */


/** Reasons and notes of these verbs land in audit rows and steward pages: no IP address inside. */
const ZReason = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .refine((s) => findIps(s).length === 0, 'must not contain an IP address')
  .optional();

async function holderTarget(tx: Tx, ctx: ServiceContext, userId: string) {
  const user = await loadTargetUser(tx, ctx.actor, userId, 'You cannot change your own reveal permission or agreement.');
  const holder = await tx.revealHolder.findUnique({ where: { userId: user.id } });
  return { user, holder, roles: user.roles.map((r) => r.role as RoleName) };
}

export const ZAgreement = z.object({
  userId: ZUserId,
  version: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be letters, digits, ".", "-" or "_" (at most 40)')
    .refine((s) => findIps(s).length === 0, 'must not look like an IP address'),
  signedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)'),
  reason: ZReason,
});

export async function recordAgreement(ctx: ServiceContext, raw: z.input<typeof ZAgreement>) {
  const input = parseRequest(ZAgreement, raw);
  const signedOn = new Date(`${input.signedOn}T00:00:00.000Z`);
  if (Number.isNaN(signedOn.getTime()) || signedOn.getTime() > Date.now() + 86_400_000)
    throw new ValidationError('Invalid input (signedOn: must be a past date)', { signedOn: 'must be a past date' });
  return executeVerb(ctx, {
    action: 'reveal.agreement-record',
    permission: 'reveal.manage',
    stepUp: true,
    wiki: GLOBAL,
    async run(tx) {
      const { user, holder } = await holderTarget(tx, ctx, input.userId);
      const data = {
        agreementVersion: input.version,
        agreementSignedOn: signedOn,
        agreementRecordedAt: new Date(),
        agreementRecordedById: ctx.actor.kind === 'user' ? ctx.actor.id : null,
      };
      await tx.revealHolder.upsert({ where: { userId: user.id }, create: { userId: user.id, username: user.username, ...data }, update: data });
      return {
        result: { userId: user.id, version: input.version },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          before: { agreementVersion: holder?.agreementVersion ?? null },
          after: { agreementVersion: input.version, signedOn: input.signedOn },
        },
      };
    },
  });
}

/** The holder's own acknowledgement of the agreement version on record (audited). */
export async function acknowledgeAgreement(ctx: ServiceContext, raw: { version?: unknown }) {
  return executeVerb(ctx, {
    action: 'reveal.agreement-acknowledge',
    permission: 'own-account',
    wiki: GLOBAL,
    async run(tx) {
      if (ctx.actor.kind !== 'user') throw new ForbiddenError();
      const holder = await tx.revealHolder.findUnique({ where: { userId: ctx.actor.id } });
      if (!canOnAnyWiki(ctx.actor, 'ip.reveal') && !(canOnAnyWiki(ctx.actor, 'ip.reveal.grantee') && holder?.grantWiki))
        throw new ForbiddenError('You do not hold the IP reveal permission.');
      if (!holder?.agreementVersion) throw new NotFoundError('No signed access agreement is on record for you.');
      if (raw.version !== holder.agreementVersion)
        throw new ValidationError('The agreement on record has changed; read it again.', { version: 'does not match the agreement on record' });
      await tx.revealHolder.update({ where: { userId: holder.userId }, data: { acknowledgedVersion: holder.agreementVersion, acknowledgedAt: new Date() } });
      return {
        result: { version: holder.agreementVersion },
        audit: { targetType: 'user', targetId: holder.userId, after: { acknowledgedVersion: holder.agreementVersion } },
      };
    },
  });
}

export const ZGrant = z.object({ userId: ZUserId, wiki: ZWiki.default(GLOBAL), grant: z.boolean(), reason: ZReason });

/** Grant (or withdraw) an admin's individual reveal permission, on one wiki or all. */
export async function setRevealGrant(ctx: ServiceContext, raw: z.input<typeof ZGrant>) {
  const input = parseRequest(ZGrant, raw);
  return executeVerb(ctx, {
    action: input.grant ? 'reveal.grant' : 'reveal.grant-revoke',
    permission: 'reveal.manage',
    stepUp: true,
    wiki: GLOBAL,
    async run(tx) {
      const { user, holder, roles } = await holderTarget(tx, ctx, input.userId);
      if (input.grant && !roles.includes('admin'))
        throw new ValidationError('Only administrators can be granted the reveal individually (checkusers hold it by role).', { userId: 'is not an administrator' });
      if (!input.grant && !holder?.grantWiki) throw new NotFoundError(`${user.username} holds no individual reveal grant.`);
      const data = input.grant
        ? { grantWiki: input.wiki, grantedAt: new Date(), grantedById: ctx.actor.kind === 'user' ? ctx.actor.id : null }
        : { grantWiki: null, grantedAt: null, grantedById: null };
      await tx.revealHolder.upsert({ where: { userId: user.id }, create: { userId: user.id, username: user.username, ...data }, update: data });
      return {
        result: { userId: user.id, grantWiki: data.grantWiki },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: input.wiki,
          reason: input.reason,
          before: { grantWiki: holder?.grantWiki ?? null },
          after: { grantWiki: data.grantWiki },
        },
      };
    },
  });
}

export const ZSuspend = z.object({ userId: ZUserId, suspend: z.boolean(), note: ZReason });

/** Suspend or restore someone's reveal permission (whatever its source). */
export async function setRevealSuspended(ctx: ServiceContext, raw: z.input<typeof ZSuspend>) {
  const input = parseRequest(ZSuspend, raw);
  return executeVerb(ctx, {
    action: input.suspend ? 'reveal.suspend' : 'reveal.restore',
    permission: 'reveal.manage',
    stepUp: true,
    wiki: GLOBAL,
    async run(tx) {
      const { user, holder } = await holderTarget(tx, ctx, input.userId);
      const data = input.suspend
        ? { suspended: true, suspendedAt: new Date(), suspendedById: ctx.actor.kind === 'user' ? ctx.actor.id : null, suspendNote: input.note ?? null }
        : { suspended: false, suspendedAt: null, suspendedById: null, suspendNote: null };
      await tx.revealHolder.upsert({ where: { userId: user.id }, create: { userId: user.id, username: user.username, ...data }, update: data });
      return {
        result: { userId: user.id, suspended: input.suspend },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.note,
          before: { suspended: holder?.suspended ?? false },
          after: { suspended: input.suspend },
        },
      };
    },
  });
}

export const ZReview = z.object({
  revealId: z.string().uuid('must be a reveal id'),
  outcome: z.enum(['fine', 'concern']),
  note: ZReason,
});

/** A steward's review outcome of one reveal (fine / concern, with a note); a later review replaces it. */
export async function reviewReveal(ctx: ServiceContext, raw: z.input<typeof ZReview>) {
  const input = parseRequest(ZReview, raw);
  return executeVerb(ctx, {
    action: 'reveal.review',
    permission: 'reveal.manage',
    wiki: GLOBAL,
    async run(tx) {
      const r = await tx.reveal.findUnique({ where: { id: input.revealId } });
      if (!r) throw new NotFoundError('No such reveal.');
      if (ctx.actor.kind !== 'user') throw new ForbiddenError();
      await tx.reveal.update({
        where: { id: r.id },
        data: { reviewOutcome: input.outcome, reviewNote: input.note ?? null, reviewedById: ctx.actor.id, reviewedByName: ctx.actor.username, reviewedAt: new Date() },
      });
      return {
        result: { revealId: r.id, outcome: input.outcome },
        audit: {
          targetType: 'reveal',
          targetId: r.id,
          reason: input.note,
          before: { outcome: r.reviewOutcome },
          after: { outcome: input.outcome, holder: r.holderName },
        },
      };
    },
  });
}
