import { createRequire } from 'node:module';
import type { Policy } from '../../lib/auth/endpoints';
import { ORIGIN } from '../fixtures';
import { samplePath, type Endpoint } from './discover';
import type { Sample } from './samples';

// React's own reply encoder, as the browser's server-action call uses it ([prevState, FormData] → multipart)
const require = createRequire(import.meta.url);
const { encodeReply } = require('next/dist/compiled/react-server-dom-webpack/client.node.js') as {
  encodeReply(v: unknown): Promise<FormData | string>;
};

/**
 * 403 codes that mean "this role may not": everything else a route answers 403 with after authorization is a
 * refusal on data (a reveal without an agreement on record: no_agreement), which the role got as far as. Codes
 * that mean the persona itself is not set up (second factor, step-up, Origin) are errors of the test.
 */
const ROLE_REFUSALS = new Set(['forbidden', 'no_permission']);
const SETUP_REFUSALS = new Set(['bad_origin', 'second_factor_required', 'step_up_required']);

/** What the server did with a request: sent it to sign in (401 / redirect to /signin), refused it (403), or let it through. */
export type Outcome = 'signin' | 'forbidden' | 'passed' | 'error';

export interface ProbeResult {
  outcome: Outcome;
  status: number;
  /** status, error code or redirect target, for messages */
  detail: string;
}

export interface ProbeOptions {
  cookie?: string;
  /** the Origin header: this server's by default; null leaves it out */
  origin?: string | null;
  sample?: Sample;
  /** server actions: the id from the build's manifest and a page that loads it */
  action?: { id: string; page: string };
  /** send the body as text/plain (what a cross-site HTML form can post without a CORS preflight) */
  textPlain?: boolean;
  /** another server to probe (the CSRF suite's check of its own detector); this e2e server by default */
  base?: string;
}

/** Read at most a little of the body (an event stream never ends), then let go of the connection. */
async function head(res: Response, max = 4096): Promise<string> {
  if (!res.body) return '';
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body.cancel().catch(() => {});
    return '';
  }
  const reader = res.body.getReader();
  let text = '';
  const dec = new TextDecoder();
  try {
    while (text.length < max) {
      const r = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
      if (!r || r.done) break;
      text += dec.decode(r.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

export async function probe(ep: Endpoint, policy: Policy | undefined, o: ProbeOptions = {}): Promise<ProbeResult> {
  const headers: Record<string, string> = {};
  if (o.cookie) headers.Cookie = o.cookie;
  const origin = o.origin === undefined ? ORIGIN : o.origin;
  if (origin !== null) headers.Origin = origin;
  let url: string;
  let body: BodyInit | undefined;
  let method = ep.method;
  if (ep.kind === 'action') {
    if (!o.action) throw new Error(`${ep.key}: no server-action id in the build's manifest`);
    url = o.action.page;
    method = 'POST';
    const fd = new FormData();
    for (const [k, v] of Object.entries(o.sample?.form ?? {})) fd.set(k, v);
    body = (await encodeReply([{ status: 'idle' }, fd])) as BodyInit;
    headers['Next-Action'] = o.action.id;
    headers.Accept = 'text/x-component';
  } else {
    url = samplePath(ep.pattern, policy?.path);
    if (ep.kind === 'route' && !['GET', 'HEAD'].includes(method)) {
      body = JSON.stringify(o.sample?.body ?? {});
      headers['Content-Type'] = 'application/json';
    }
  }
  if (o.textPlain && body !== undefined) {
    body = typeof body === 'string' ? body : new URLSearchParams(Object.entries(o.sample?.form ?? {})).toString();
    headers['Content-Type'] = 'text/plain;charset=UTF-8';
  }
  const res = await fetch(new URL(url, o.base ?? ORIGIN), { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await head(res);
  const status = res.status;
  const location = res.headers.get('location') ?? res.headers.get('x-action-redirect') ?? '';
  const target = location ? new URL(location.split(';')[0]!, o.base ?? ORIGIN).pathname : '';
  let code = '';
  if ((res.headers.get('content-type') ?? '').includes('json')) code = /"code":"([a-z_]+)"/.exec(text)?.[1] ?? '';
  const detail = `${status}${code ? ` ${code}` : ''}${location ? ` → ${location}` : ''}`;
  if (status >= 500) return { outcome: 'error', status, detail };
  if (status === 401 || target === '/signin') return { outcome: 'signin', status, detail };
  if (status === 403 && code && SETUP_REFUSALS.has(code)) return { outcome: 'error', status, detail };
  if (status === 403 && (!code || ROLE_REFUSALS.has(code))) return { outcome: 'forbidden', status, detail };
  return { outcome: 'passed', status, detail };
}
