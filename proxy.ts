import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { decodeSessionToken } from '@/lib/auth/jwt';
import { MACHINE_PATHS, SESSIONLESS_PATHS } from '@/lib/auth/endpoints';
import { isStateChangingMethod, originRefusedHtml, sameOrigin, wantsHtml } from '@/lib/auth/origin';
import { messages } from '@/lib/messages';
import { contentSecurityPolicy, securityHeaders } from '@/lib/security-headers';

/**
 * Every request: security headers with a per-request CSP nonce. State-changing requests (anything but
 * GET/HEAD/OPTIONS) need a same-site Origin unless they go to a machine endpoint: cross-site, missing or
 * `null` → 403 before any page, handler or server action runs (jsonRoute and runAction check again).
 * Signed-out visitors: pages redirect to /signin, APIs answer 401, except the public and machine endpoints
 * declared in lib/auth/endpoints.ts. This only checks that a valid session cookie exists; every page and
 * handler still re-checks the user and their permissions.
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
  if (isStateChangingMethod(req.method) && !MACHINE_PATHS.some((p) => p.test(path)) && !sameOrigin(req.headers)) {
    // a natively submitted form (before hydration it carries `Origin: null` under our no-referrer policy) gets a
    // readable page, not JSON or a 500
    if (wantsHtml(req.headers))
      return finish(new NextResponse(originRefusedHtml(messages.badOrigin), { status: 403, headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    return finish(NextResponse.json({ error: { code: 'bad_origin', message: 'Cross-site or origin-less request refused.' } }, { status: 403 }));
  }
  if (!SESSIONLESS_PATHS.some((p) => p.test(path))) {
    const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET, decode: decodeSessionToken });
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
