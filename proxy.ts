import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, securityHeaders } from '@/lib/security-headers';

/** Reachable without a session: sign-in, next-auth's own routes, health, and signed machine endpoints. */
const PUBLIC = [/^\/signin$/, /^\/api\/auth\//, /^\/api\/health$/, /^\/api\/ingest$/];

/**
 * Every request: security headers with a per-request CSP nonce. Signed-out visitors: pages redirect to
 * /signin, APIs answer 401. This only checks that a valid session cookie exists; every page and handler
 * still re-checks the user and their permissions.
 */
export async function proxy(req: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== 'production');
  const https = req.nextUrl.protocol === 'https:' || (process.env.NEXTAUTH_URL ?? '').startsWith('https:');
  const finish = (res: NextResponse) => {
    res.headers.set('Content-Security-Policy', csp);
    for (const [k, v] of Object.entries(securityHeaders({ https }))) res.headers.set(k, v);
    return res;
  };

  const path = req.nextUrl.pathname;
  if (!PUBLIC.some((p) => p.test(path))) {
    const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      if (path.startsWith('/api/'))
        return finish(NextResponse.json({ error: { code: 'unauthenticated', message: 'Sign in first.' } }, { status: 401 }));
      const url = req.nextUrl.clone();
      url.pathname = '/signin';
      url.search = '';
      if (path !== '/') url.searchParams.set('callbackUrl', path);
      return finish(NextResponse.redirect(url));
    }
  }
  const headers = new Headers(req.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  return finish(NextResponse.next({ request: { headers } }));
}

export const config = {
  // everything but static files
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
