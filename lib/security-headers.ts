/**
 * Security headers for every response (applied in proxy.ts). The Content-Security-Policy carries a fresh
 * nonce per request: Next.js reads it from the request's CSP header and puts it on its own inline scripts,
 * so no inline script runs without it.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    // React and charting libraries set style attributes; styles cannot run code
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'self'`,
  ].join('; ');
}

export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  const h: Record<string, string> = {
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  };
  if (opts.https) h['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return h;
}
