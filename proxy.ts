import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * Signed-out visitors: pages redirect to /signin, APIs answer 401. This only checks that a session
 * cookie exists and is valid; every page and handler still re-checks the user and their permissions.
 */
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  if (req.nextUrl.pathname.startsWith('/api/'))
    return NextResponse.json({ error: { code: 'unauthenticated', message: 'Sign in first.' } }, { status: 401 });
  const url = req.nextUrl.clone();
  url.pathname = '/signin';
  url.search = '';
  if (req.nextUrl.pathname !== '/') url.searchParams.set('callbackUrl', req.nextUrl.pathname);
  return NextResponse.redirect(url);
}

export const config = {
  // everything except sign-in, next-auth's own routes, health, the signed machine endpoint /api/ingest
  // (authenticated by its HMAC signature, lib/ingest/signature.ts), and static files
  matcher: ['/((?!api/auth|api/health|api/ingest|signin|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
