import { z } from 'zod';
import { highestRank, rankOn, type RoleHolding, type RoleName } from '../auth/permissions';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Tx } from '../db/client';
import { executeVerb, type ServiceContext } from './verb';
import { assertMayGrant } from './user-create';
import { ZReason, ZRole, ZUserId, ZWiki, parseRequest } from './schemas';

export const ZRoleChangeRequest = z.object({
  userId: ZUserId,
  role: ZRole,
  wiki: ZWiki.default('*'),
  reason: ZReason,
});
export type TRoleChangeRequest = z.input<typeof ZRoleChangeRequest>;

function parse(raw: TRoleChangeRequest) {
  const input = parseRequest(ZRoleChangeRequest, raw);
  return input;
}

/** Load the target and refuse when they outrank the actor (Mastodon's rule). */
async function loadTarget(tx: Tx, ctx: ServiceContext, userId: string, wiki: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, include: { roles: true } });
  if (!user) throw new NotFoundError('No such user.');
  const holdings: RoleHolding[] = user.roles.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }));
  if (highestRank(holdings) > rankOn(ctx.actor, wiki))
    throw new ForbiddenError('You cannot change the roles of someone who outranks you.');
  return { user, holdings };
}

export async function grantRole(ctx: ServiceContext, raw: TRoleChangeRequest): Promise<RoleHolding> {
  const input = parse(raw);
  const holding: RoleHolding = { role: input.role, wiki: input.wiki };
  return executeVerb(ctx, {
    action: 'role.grant',
    permission: 'role.manage',
    stepUp: true,
    wiki: input.wiki,
    async run(tx) {
      assertMayGrant(ctx.actor, holding);
      const { user, holdings } = await loadTarget(tx, ctx, input.userId, input.wiki);
      if (holdings.some((h) => h.role === holding.role && h.wiki === holding.wiki))
        throw new ConflictError(`${user.username} already holds ${holding.role} on ${holding.wiki}.`);
      await tx.roleAssignment.create({
        data: { userId: user.id, ...holding, grantedById: ctx.actor.kind === 'user' ? ctx.actor.id : null },
      });
      return {
        result: holding,
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: input.wiki,
          reason: input.reason,
          before: { roles: holdings },
          after: { roles: [...holdings, holding] },
        },
      };
    },
  });
}

export async function revokeRole(ctx: ServiceContext, raw: TRoleChangeRequest): Promise<RoleHolding> {
  const input = parse(raw);
  const holding: RoleHolding = { role: input.role, wiki: input.wiki };
  return executeVerb(ctx, {
    action: 'role.revoke',
    permission: 'role.manage',
    stepUp: true,
    wiki: input.wiki,
    async run(tx) {
      const { user, holdings } = await loadTarget(tx, ctx, input.userId, input.wiki);
      const { count } = await tx.roleAssignment.deleteMany({ where: { userId: user.id, role: input.role, wiki: input.wiki } });
      if (count === 0) throw new NotFoundError(`${user.username} does not hold ${holding.role} on ${holding.wiki}.`);
      // a role change ends the user's sessions so the new rights apply at once
      await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
      return {
        result: holding,
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: input.wiki,
          reason: input.reason,
          before: { roles: holdings },
          after: { roles: holdings.filter((h) => !(h.role === holding.role && h.wiki === holding.wiki)) },
        },
      };
    },
  });
}
