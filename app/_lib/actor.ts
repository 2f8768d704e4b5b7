import 'server-only';
import { getToken } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { loadSession, type LoadedSession, type UserActor } from '@/lib/auth/actors';
import { decodeSessionToken } from '@/lib/auth/jwt';
import { sessionIds } from '@/lib/auth/nextauth';
import { can, canOnAnyWiki, type Permission } from '@/lib/auth/permissions';

/** Where an account with a pending second factor is sent (and may only be). */
export const SECURITY_PAGE = '/account/security';

/** The signed-in session, re-checked against the database (disabled / revoked → null), pending or not. */
export async function currentSession(): Promise<LoadedSession | null> {
  const session = await sessionFromCookie();
  if (!session?.userId) return null;
  return loadSession(session.userId, session.sessionVersion, { mfa: session.mfa, stepUpAt: session.stepUpAt });
}

/**
 * The session cookie's JWT, read and decrypted as getServerSession(authOptions()) reads it in a server component
 * or route handler (next-auth's cookie name and chunking, the same decode, the session callback's mapping), without
 * running next-auth's whole session endpoint per request: that endpoint also re-encrypts a fresh cookie, which
 * getServerSession throws away outside the pages router. Cookie only, as before: an Authorization header is not
 * a session here (the headers are left out on purpose). An invalid or expired token is no session.
 */
async function sessionFromCookie() {
  const token = await getToken({
    req: { cookies: await cookies(), headers: new Headers() } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: process.env.NEXTAUTH_SECRET,
    secureCookie: (process.env.NEXTAUTH_URL ?? '').startsWith('https://'),
    decode: decodeSessionToken,
  });
  return token ? sessionIds(token) : null;
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
