import 'server-only';
import { cookies } from 'next/headers';
import { decodeSessionToken as decode, encodeSessionToken as encode } from '@/lib/auth/jwt';
import { authOptions } from '@/lib/auth/nextauth';

const NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/**
 * Re-issue the session cookie after the server itself verified a second factor (enrolment confirmed, or a
 * step-up code): the JWT gains `mfa` and a fresh `sua` (stepUpAt). Only server code calls this, right after
 * its own check; nothing the client sends is taken as proof. Keeps the cookie's name and attributes as
 * next-auth set them (secure prefix when served over https).
 */
export async function markSecondFactorVerified(opts: { stepUp: boolean }): Promise<boolean> {
  const jar = await cookies();
  const name = NAMES.find((n) => jar.has(n));
  const secret = process.env.NEXTAUTH_SECRET;
  if (!name || !secret) return false;
  const token = await decode({ token: jar.get(name)!.value, secret });
  if (!token?.sub) return false;
  const maxAge = authOptions().session?.maxAge ?? 12 * 3600;
  const next = { ...token, mfa: true, sua: opts.stepUp ? Date.now() : (token.sua ?? null) };
  jar.set(name, await encode({ token: next, secret, maxAge }), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: name.startsWith('__Secure-'),
    maxAge,
  });
  return true;
}
