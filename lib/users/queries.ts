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
