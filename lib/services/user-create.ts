import { z } from 'zod';
import { GLOBAL, GLOBAL_ONLY_ROLES, ROLE_RANK, rankOn, type Actor, type RoleHolding } from '../auth/permissions';
import { generatePassword, hashPassword, passwordProblem } from '../auth/password';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import { Prisma } from '../db/generated/client';
import { executeVerb, type ServiceContext } from './verb';
import { ZReason, ZRoleHolding, ZUsername, parseRequest } from './schemas';

export const ZCreateUserRequest = z.object({
  username: ZUsername,
  /** omitted: a random password is generated and returned once */
  password: z.string().optional(),
  roles: z.array(ZRoleHolding).max(50).default([]),
  reason: ZReason,
});
export type TCreateUserRequest = z.input<typeof ZCreateUserRequest>;

export interface CreatedUser {
  id: string;
  username: string;
  roles: RoleHolding[];
  /** only when the password was generated: show it once, never store or log it */
  generatedPassword?: string;
}

/** Checks shared by user.create and role.grant: steward is global; nobody grants above their own rank. */
export function assertMayGrant(actor: Actor, h: RoleHolding): void {
  if (GLOBAL_ONLY_ROLES.includes(h.role) && h.wiki !== GLOBAL)
    throw new ValidationError(`The ${h.role} role can only be held globally (wiki "*").`, { wiki: 'must be "*"' });
  if (rankOn(actor, h.wiki) < ROLE_RANK[h.role])
    throw new ForbiddenError(`You cannot grant a role above your own (${h.role}).`);
}

export async function createUser(ctx: ServiceContext, raw: TCreateUserRequest): Promise<CreatedUser> {
  const input = parseRequest(ZCreateUserRequest, raw);
  const generated = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generated!;
  const problem = passwordProblem(password, input.username);
  if (problem) throw new ValidationError(`Password ${problem}.`, { password: problem });
  const roles = dedupe(input.roles);

  return executeVerb(ctx, {
    action: 'user.create',
    permission: 'user.manage',
    // creating an account with roles is a role grant: the same fresh second factor
    stepUp: roles.length > 0,
    wiki: GLOBAL,
    async run(tx) {
      for (const h of roles) assertMayGrant(ctx.actor, h);
      const passwordHash = await hashPassword(password);
      const grantedById = ctx.actor.kind === 'user' ? ctx.actor.id : null;
      let user;
      try {
        user = await tx.user.create({
          data: { username: input.username, passwordHash, roles: { create: roles.map((h) => ({ ...h, grantedById })) } },
        });
      } catch (e) {
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
          throw new ConflictError(`The username "${input.username}" is taken.`);
        throw e;
      }
      return {
        result: { id: user.id, username: user.username, roles, generatedPassword: generated },
        audit: {
          targetType: 'user',
          targetId: user.id,
          wiki: GLOBAL,
          reason: input.reason,
          after: { username: user.username, roles, passwordSet: true },
        },
      };
    },
  });
}

function dedupe(roles: RoleHolding[]): RoleHolding[] {
  const seen = new Map<string, RoleHolding>();
  for (const h of roles) seen.set(`${h.role}@${h.wiki}`, h);
  return [...seen.values()];
}
