import { db } from '../db/client';
import { dummyHash, verifyPassword } from './password';
import type { Actor, RoleHolding, RoleName } from './permissions';
import { totpRequired } from './second-factor';

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** What the session JWT says about the second factor (written by the server only). */
export interface SessionAuth {
  /** the second factor was verified in this session (at sign-in, enrolment or a step-up) */
  mfa: boolean;
  /** when a TOTP code was last verified (ms); null when never (e.g. signed in with a recovery code) */
  stepUpAt: number | null;
}

export interface LoadedSession {
  /** carries stepUpAt only when the session passed its second factor */
  actor: UserActor;
  totpEnrolled: boolean;
  totpRequired: boolean;
  /**
   * what the account must do before anything else: 'enrol' (its role requires TOTP and none is set up),
   * 'verify' (TOTP is set up but this session has not passed it), or null
   */
  pending: 'enrol' | 'verify' | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SessionUserRow {
  id: string;
  username: string;
  disabled: boolean;
  sessionVersion: number;
  enrolled: boolean;
  roles: { role: string; wiki: string }[];
}

/**
 * The session's user, re-read from the database on every request: a disabled user, or one whose sessions
 * were revoked (sessionVersion bumped), is signed out at their next request, not when a JWT expires.
 */
export async function loadSession(userId: string, sessionVersion: number, auth: SessionAuth): Promise<LoadedSession | null> {
  if (!UUID.test(userId)) return null;
  // every request runs this: one statement for the user and its roles (the columns needed, not the whole row)
  const [user] = await db().$queryRaw<SessionUserRow[]>`
    SELECT u.id, u.username, u.disabled, u."sessionVersion", u."totpSecretEnc" IS NOT NULL AS enrolled,
           coalesce((SELECT json_agg(json_build_object('role', r.role::text, 'wiki', r.wiki) ORDER BY r.role, r.wiki)
                       FROM role_assignment r WHERE r."userId" = u.id), '[]') AS roles
      FROM user_account u
     WHERE u.id = ${userId}::uuid`;
  if (!user || user.disabled || user.sessionVersion !== sessionVersion) return null;
  const roles = holdings(user.roles);
  const enrolled = user.enrolled;
  const required = totpRequired(roles);
  const pending = enrolled && !auth.mfa ? 'verify' : required && !enrolled ? 'enrol' : null;
  return {
    actor: { kind: 'user', id: user.id, username: user.username, roles, stepUpAt: auth.mfa ? auth.stepUpAt : null },
    totpEnrolled: enrolled,
    totpRequired: required,
    pending,
  };
}

/** The actor behind a session that has passed everything it must (null otherwise). */
export async function loadUserActor(userId: string, sessionVersion: number, auth: SessionAuth = { mfa: false, stepUpAt: null }): Promise<UserActor | null> {
  const s = await loadSession(userId, sessionVersion, auth);
  return s && !s.pending ? s.actor : null;
}

function holdings(rows: { role: string; wiki: string }[]): RoleHolding[] {
  return rows.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }));
}

export interface VerifiedLogin {
  id: string;
  username: string;
  sessionVersion: number;
  /** a TOTP code (or a recovery code) is needed to finish signing in */
  totpEnrolled: boolean;
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
  return { id: user.id, username: user.username, sessionVersion: user.sessionVersion, totpEnrolled: user.totpSecretEnc !== null };
}
