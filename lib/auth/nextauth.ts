import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { log } from '../log';
import { dummyHash, verifyPassword } from './password';
import { verifyLogin } from './actors';
import { clearAccount, clientPseudonym, isThrottled, recordFailure, throttleKeys } from './throttle';

/**
 * next-auth v4: local accounts through the Credentials provider (step 5 adds Wikimedia OAuth and TOTP).
 * Sessions are JWTs carrying only the user id and session version; every request re-reads the user
 * (lib/auth/actors.ts) so revocation is immediate.
 */
export function authOptions(): NextAuthOptions {
  const maxAge = Math.round(Number(process.env.SESSION_MAX_AGE_HOURS ?? 12) * 3600);
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge },
    jwt: { maxAge },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'maskpatrol account',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
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
          await clearAccount(keys);
          log().info({ event: 'signin.ok', userId: user.id, client }, 'signed in');
          return { id: user.id, name: user.username, sessionVersion: user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        return token;
      },
      async session({ session, token }) {
        const out = session as typeof session & SessionWithIds;
        out.user = { name: token.name ?? null };
        out.userId = token.sub ?? '';
        out.sessionVersion = typeof token.sv === 'number' ? token.sv : -1;
        return out;
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

export interface SessionWithIds {
  userId: string;
  sessionVersion: number;
}
