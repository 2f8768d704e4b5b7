import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { loadSession, type LoadedSession, type UserActor } from '@/lib/auth/actors';
import { authOptions, type SessionWithIds } from '@/lib/auth/nextauth';
import { can, canOnAnyWiki, type Permission } from '@/lib/auth/permissions';

/** Where an account with a pending second factor is sent (and may only be). */
export const SECURITY_PAGE = '/account/security';

/** The signed-in session, re-checked against the database (disabled / revoked → null), pending or not. */
export async function currentSession(): Promise<LoadedSession | null> {
  const session = (await getServerSession(authOptions())) as (SessionWithIds & object) | null;
  if (!session?.userId) return null;
  return loadSession(session.userId, session.sessionVersion, { mfa: session.mfa === true, stepUpAt: session.stepUpAt ?? null });
}

/** The signed-in actor once the session has passed its second factor where one is needed; else null. */
export async function currentActor(): Promise<UserActor | null> {
  const s = await currentSession();
  return s && !s.pending ? s.actor : null;
}

/**
 * For pages and server actions: signed out → sign-in page; second factor pending → the security page;
 * lacking the permission → 403 page. `wiki` omitted: the permission on any wiki (views spanning wikis
 * filter their rows by wiki themselves).
 */
export async function requirePage(permission?: Permission, wiki?: string | null): Promise<UserActor> {
  const s = await currentSession();
  if (!s) redirect('/signin');
  if (s.pending) redirect(SECURITY_PAGE);
  const actor = s.actor;
  if (permission && !(wiki === undefined ? canOnAnyWiki(actor, permission) : can(actor, permission, wiki))) forbidden();
  return actor;
}

/** For the account pages: any signed-in session, including one that still has to enrol or verify. */
export async function requireAccountPage(): Promise<LoadedSession> {
  const s = await currentSession();
  if (!s) redirect('/signin');
  return s;
}
