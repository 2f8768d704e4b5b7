import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { JWT } from 'next-auth/jwt';
import { log } from '../log';
import { decodeSessionToken, encodeSessionToken } from './jwt';
import { dummyHash, verifyPassword } from './password';
import { verifyLogin } from './actors';
import { oauthConfig } from './oauth-config';
import { WIKI_PROVIDER_ID, signInWithWiki, wikiProvider } from './oauth';
import { verifySecondFactor } from './second-factor';
import { clearAccount, clientPseudonym, isThrottled, recordFailure, throttleKeys } from './throttle';

/**
 * What authorize() throws when the password is right and the account has TOTP: the form then asks for the
 * code (next-auth reports it as the sign-in error). Only said after a correct password.
 */
export const CODE_REQUIRED = 'CodeRequired';

/** Where a wiki sign-in that gives no role (or no answer) ends: a page that says why (app/no-access). */
export const NO_ACCESS_PATH = '/no-access';

/**
 * next-auth v4: local accounts through the Credentials provider, and, when configured, wiki accounts
 * through next-auth's Wikimedia provider (OAuth 2 against any MediaWiki; lib/auth/oauth.ts). A wiki
 * sign-in reads the user's groups on every configured wiki and keeps the account's roles in step; no
 * mapped group → no account and the no-access page. OAuth accounts pass TOTP like everyone else: the
 * session starts without a verified second factor, so checkusers and stewards are sent to enrol or verify.
 * Sessions are JWTs carrying the user id, session version and second-factor state (mfa, stepUpAt), written
 * by the server only; every request re-reads the user (lib/auth/actors.ts) so revocation is immediate.
 * Accounts with TOTP sign in with password + code (or a recovery code, consumed); a wrong code counts
 * towards the sign-in throttle like a wrong password, with the same generic answer.
 */
export function authOptions(): NextAuthOptions {
  const maxAge = Math.round(Number(process.env.SESSION_MAX_AGE_HOURS ?? 12) * 3600);
  const oauth = oauthConfig();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge },
    // next-auth's format, with the HKDF-derived key kept per secret instead of derived on every call (lib/auth/jwt.ts)
    jwt: { maxAge, encode: encodeSessionToken, decode: decodeSessionToken },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'maskpatrol account',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
          totp: { label: 'Code', type: 'text' },
        },
        async authorize(credentials, req) {
          const username = String(credentials?.username ?? '').slice(0, 64);
          const password = String(credentials?.password ?? '');
          const client = clientPseudonym(headerValue(req?.headers, 'x-maskpatrol-client'));
          const keys = throttleKeys(username, client);
          if (await isThrottled(keys)) {
            await verifyPassword(await dummyHash(), password); // same time as a real attempt
            log().warn({ event: 'signin.throttled', client }, 'sign-in refused: too many failures');
            return null;
          }
          const user = await verifyLogin(username, password);
          if (!user) {
            await recordFailure(keys);
            log().info({ event: 'signin.failed', client }, 'sign-in failed');
            return null;
          }
          let factor: 'totp' | 'recovery' | null = null;
          if (user.totpEnrolled) {
            const code = String(credentials?.totp ?? '').trim();
            if (!code) throw new Error(CODE_REQUIRED);
            factor = await verifySecondFactor(user.id, code);
            if (!factor) {
              await recordFailure(keys);
              log().info({ event: 'signin.failed', step: 'second-factor', client }, 'sign-in failed');
              return null;
            }
            if (factor === 'recovery') log().warn({ event: 'signin.recovery-code', userId: user.id, client }, 'signed in with a recovery code');
          }
          await clearAccount(keys);
          log().info({ event: 'signin.ok', userId: user.id, client }, 'signed in');
          const auth: TokenAuth = { mfa: factor !== null, stepUpAt: factor === 'totp' ? Date.now() : null };
          return { id: user.id, name: user.username, sessionVersion: user.sessionVersion, ...auth };
        },
      }),
      ...(oauth ? [wikiProvider(oauth)] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== WIKI_PROVIDER_ID) return true;
        if (!oauth || !profile) return false;
        const p = profile as { sub?: unknown; username?: unknown };
        if (typeof p.username !== 'string' || (typeof p.sub !== 'string' && typeof p.sub !== 'number')) return false;
        const outcome = await signInWithWiki(oauth, { sub: String(p.sub), username: p.username });
        if (!outcome.ok) {
          log().info({ event: 'oauth.refused', reason: outcome.reason }, 'wiki sign-in refused');
          return `${process.env.NEXTAUTH_URL ?? ''}${NO_ACCESS_PATH}?from=wiki&reason=${outcome.reason}`;
        }
        // the session is this maskpatrol account's; the second factor is still to be passed (mfa false)
        const a = outcome.account;
        const auth: TokenAuth = { mfa: false, stepUpAt: null };
        Object.assign(user, { id: a.id, name: a.username, email: null, sessionVersion: a.sessionVersion, ...auth });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
          const auth = user as Partial<TokenAuth>;
          token.mfa = auth.mfa === true;
          token.sua = typeof auth.stepUpAt === 'number' ? auth.stepUpAt : null;
        }
        return token;
      },
      async session({ session, token }) {
        const out = session as typeof session & SessionWithIds;
        out.user = { name: token.name ?? null };
        return Object.assign(out, sessionIds(token));
      },
    },
    logger: {
      // next-auth's own messages can carry request details; keep codes only
      error: (code) => log().warn({ event: 'nextauth.error', code }, 'auth error'),
      warn: (code) => log().warn({ event: 'nextauth.warn', code }, 'auth warning'),
      debug: () => {},
    },
  };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

interface TokenAuth {
  mfa: boolean;
  stepUpAt: number | null;
}

export interface SessionWithIds extends TokenAuth {
  userId: string;
  sessionVersion: number;
}

/** What a session carries from its JWT (the session callback's mapping; app/_lib/actor.ts reads it directly). */
export function sessionIds(token: JWT): SessionWithIds {
  return {
    userId: token.sub ?? '',
    sessionVersion: typeof token.sv === 'number' ? token.sv : -1,
    mfa: token.mfa === true,
    stepUpAt: typeof token.sua === 'number' ? token.sua : null,
  };
}
