import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { loadUserActor, type UserActor } from '@/lib/auth/actors';
import { authOptions, type SessionWithIds } from '@/lib/auth/nextauth';
import { can, canOnAnyWiki, type Permission } from '@/lib/auth/permissions';

/** The signed-in actor, re-checked against the database (disabled / revoked → null). */
export async function currentActor(): Promise<UserActor | null> {
  const session = (await getServerSession(authOptions())) as (SessionWithIds & object) | null;
  if (!session?.userId) return null;
  return loadUserActor(session.userId, session.sessionVersion);
}

/**
 * For pages and server actions: signed out → sign-in page; lacking the permission → 403 page.
 * `wiki` omitted: the permission on any wiki (views spanning wikis filter their rows by wiki themselves).
 */
export async function requirePage(permission?: Permission, wiki?: string | null): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect('/signin');
  if (permission && !(wiki === undefined ? canOnAnyWiki(actor, permission) : can(actor, permission, wiki))) forbidden();
  return actor;
}
