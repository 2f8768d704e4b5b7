import { db } from '../db/client';
import { dummyHash, verifyPassword } from './password';
import type { Actor, RoleHolding, RoleName } from './permissions';

export type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * The actor behind a session, re-read from the database on every request: a disabled user, or one whose
 * sessions were revoked (sessionVersion bumped), is signed out at their next request, not when a JWT expires.
 */
export async function loadUserActor(userId: string, sessionVersion: number): Promise<UserActor | null> {
  const user = await db().user.findUnique({ where: { id: userId }, include: { roles: true } });
  if (!user || user.disabled || user.sessionVersion !== sessionVersion) return null;
  return { kind: 'user', id: user.id, username: user.username, roles: holdings(user.roles) };
}

function holdings(rows: { role: string; wiki: string }[]): RoleHolding[] {
  return rows.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }));
}

export interface VerifiedLogin {
  id: string;
  username: string;
  sessionVersion: number;
}

/** Password sign-in. Same answer and about the same time for "no such user", "wrong password" and "disabled". */
export async function verifyLogin(username: string, password: string): Promise<VerifiedLogin | null> {
  if (!username || !password || username.length > 64 || password.length > 256) return null;
  const user = await db().user.findUnique({ where: { username } });
  if (!user || !user.passwordHash) {
    await verifyPassword(await dummyHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabled) return null;
  return { id: user.id, username: user.username, sessionVersion: user.sessionVersion };
}
