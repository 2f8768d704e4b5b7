import { db } from '../db/client';
import { authorize, type Actor, type RoleHolding, type RoleName } from '../auth/permissions';

export interface UserRow {
  id: string;
  username: string;
  disabled: boolean;
  createdAt: string;
  roles: RoleHolding[];
}

/** Accounts and their roles, for stewards. */
export async function listUsers(actor: Actor): Promise<UserRow[]> {
  authorize(actor, 'user.view', '*');
  const users = await db().user.findMany({ include: { roles: true }, orderBy: { username: 'asc' }, take: 1000 });
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    roles: u.roles.map((r) => ({ role: r.role as RoleName, wiki: r.wiki })),
  }));
}

/** The actor's own second-factor state, for their account page (never the secret). */
export async function ownSecondFactor(actor: Actor): Promise<{ enrolledAt: string | null; recoveryCodesLeft: number }> {
  if (actor.kind !== 'user') return { enrolledAt: null, recoveryCodesLeft: 0 };
  const [u, left] = await Promise.all([
    db().user.findUnique({ where: { id: actor.id }, select: { totpEnrolledAt: true } }),
    db().recoveryCode.count({ where: { userId: actor.id, usedAt: null } }),
  ]);
  return { enrolledAt: u?.totpEnrolledAt?.toISOString() ?? null, recoveryCodesLeft: left };
}
