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

/**
 * A refused request's answer for a browser navigation: a form posted natively (before hydration, or from a
 * page that is not this app's) sends `Accept: text/html` and no `Next-Action` header, and gets a readable 403
 * page; fetches from the app (route handlers, hydrated server actions) keep the JSON error.
 */
export function wantsHtml(headers: Headers): boolean {
  return !headers.has('next-action') && (headers.get('accept') ?? '').includes('text/html');
}

/** The refusal page: static text from lib/messages.ts (no script, nothing from the request echoed). */
export function originRefusedHtml(t: { title: string; body: string; back: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${t.title}</title></head><body><main data-testid="bad-origin"><h1>${t.title}</h1><p>${t.body}</p><p><a href="/">${t.back}</a></p></main></body></html>`;
}
