/**
 * CSRF defence for browser-facing state-changing requests: the Origin header must be present and name
 * this server. (Route Handlers have no built-in CSRF protection; Server Actions let a missing Origin
 * through.) Checked by the request proxy for every POST/PUT/PATCH/DELETE that is not a machine endpoint
 * (lib/auth/endpoints.ts), and again by jsonRoute and runAction. Machine endpoints authenticated by
 * signature (POST /api/ingest: HMAC over timestamp and body, lib/ingest/signature.ts) are exempt.
 */
export function sameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  if (!host) return false;
  const allowed = new Set([host]);
  if (process.env.NEXTAUTH_URL) {
    try {
      allowed.add(new URL(process.env.NEXTAUTH_URL).host);
    } catch {
      /* ignore a malformed NEXTAUTH_URL here; config validation reports it */
    }
  }
  return allowed.has(o.host);
}

/** Methods that change state: they need a same-site Origin unless the endpoint is a machine endpoint. */
export function isStateChangingMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
