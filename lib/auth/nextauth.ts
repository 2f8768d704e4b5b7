import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { log } from '../log';
import { verifyLogin } from './actors';

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
        async authorize(credentials) {
          const user = await verifyLogin(String(credentials?.username ?? ''), String(credentials?.password ?? ''));
          if (!user) {
            log().info({ event: 'signin.failed' }, 'sign-in failed');
            return null;
          }
          log().info({ event: 'signin.ok', userId: user.id }, 'signed in');
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

export interface SessionWithIds {
  userId: string;
  sessionVersion: number;
}
