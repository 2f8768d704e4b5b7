import type { Actor, RoleHolding, RoleName } from '@/lib/auth/permissions';
import type { PrismaClient } from '@/lib/db/generated/client';
import { createUser } from '@/lib/services/user-create';
import type { ServiceContext } from '@/lib/services/verb';

export const SYSTEM: Actor = { kind: 'system', name: 'test' };

let n = 0;
/** Create a user through the service layer and return them as an actor. */
export async function makeActor(prisma: PrismaClient, role: RoleName | null, wiki = '*'): Promise<Extract<Actor, { kind: 'user' }>> {
  const roles: RoleHolding[] = role ? [{ role, wiki }] : [];
  const u = await createUser({ actor: SYSTEM, db: prisma }, { username: `t-${role ?? 'none'}-${++n}-${Date.now() % 100000}`, roles });
  // a fresh step-up, as after signing in with a TOTP code (tests of the step-up itself clear it)
  return { kind: 'user', id: u.id, username: u.username, roles, stepUpAt: Date.now() };
}

export function ctx(actor: Actor, prisma: PrismaClient): ServiceContext {
  return { actor, db: prisma, request: { via: 'api', requestId: 'test' } };
}
