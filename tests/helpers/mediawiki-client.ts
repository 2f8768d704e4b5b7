import http from 'node:http';

/**
 * Anonymous editors with real, different addresses: each request binds its source address anywhere in
 * 127.0.0.0/8 (Linux routes the whole /8 to loopback), so PHP sees REMOTE_ADDR = that address and MediaWiki
 * records the edit under it. No imports beyond Node (used by vitest and Playwright alike).
 */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export function apiCall(api: string, params: Record<string, string>, opts: { from?: string; cookie?: string } = {}): Promise<ApiAnswer> {
  const body = new URLSearchParams({ format: 'json', formatversion: '2', ...params }).toString();
  const url = new URL(api);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: opts.from,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'maskpatrol-tests/0.1',
          ...(opts.cookie ? { Cookie: opts.cookie } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            reject(new Error(`MediaWiki answered ${res.statusCode} with no JSON`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('MediaWiki request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** An anonymous edit from `from` (an address in 127.0.0.0/8); resolves to the API's error code, or null when saved. */
export async function anonymousEdit(api: string, from: string, title: string, text: string, summary = ''): Promise<string | null> {
  // the anonymous CSRF token is the constant "+\"
  const r = await apiCall(api, { action: 'edit', title, text, summary, token: '+\\' }, { from });
  const error = r.body.error as { code?: string } | undefined;
  if (error) return String(error.code);
  const result = (r.body.edit as { result?: string } | undefined)?.result;
  if (result !== 'Success') throw new Error(`edit from the test client: unexpected answer ${JSON.stringify(r.body).slice(0, 200)}`);
  return null;
}

export interface RecentChange {
  user: string;
  anon?: boolean;
  title: string;
  type: string;
}

export async function recentChanges(api: string): Promise<RecentChange[]> {
  const r = await apiCall(api, { action: 'query', list: 'recentchanges', rcprop: 'user|title', rclimit: '500', rcdir: 'newer' });
  return ((r.body.query as { recentchanges?: RecentChange[] })?.recentchanges ?? []) as RecentChange[];
}

/** The wiki's active blocks as an administrator sees them (list=blocks is public). */
export async function wikiBlocks(api: string): Promise<{ id: number; user: string; reason: string }[]> {
  const r = await apiCall(api, { action: 'query', list: 'blocks', bkprop: 'id|user|reason', bklimit: '500' });
  return ((r.body.query as { blocks?: { id: number; user: string; reason: string }[] })?.blocks ?? []);
}

/** An edit by a registered account, signed in with a bot password (registered editors are not clustered). */
export async function accountEdit(api: string, user: string, password: string, title: string, text: string, summary = ''): Promise<void> {
  const jar = new Map<string, string>();
  const call = async (params: Record<string, string>) => {
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams({ format: 'json', formatversion: '2', ...params }),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return (await res.json()) as Record<string, { tokens?: Record<string, string>; result?: string }>;
  };
  const lgtoken = (await call({ action: 'query', meta: 'tokens', type: 'login' })).query!.tokens!.logintoken!;
  const login = await call({ action: 'login', lgname: user, lgpassword: password, lgtoken });
  if (login.login?.result !== 'Success') throw new Error(`test client: bot password login failed: ${JSON.stringify(login).slice(0, 300)}`);
  const token = (await call({ action: 'query', meta: 'tokens', type: 'csrf' })).query!.tokens!.csrftoken!;
  const r = await call({ action: 'edit', title, text, summary, token });
  if (r.edit?.result !== 'Success') throw new Error(`test client: edit failed ${JSON.stringify(r).slice(0, 200)}`);
}
