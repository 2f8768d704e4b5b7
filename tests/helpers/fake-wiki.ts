import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small MediaWiki farm on loopback for tests: a real HTTP server with Extension:OAuth's OAuth 2 endpoints
 * on the host wiki (authorization-code flow: /authorize with a consent form, /access_token, the profile
 * resource) and the Action API (`list=users&usprop=groups|centralids`, `meta=globaluserinfo|siteinfo`) on
 * the host and on every other wiki. Paths: `/<wiki>/w/rest.php/oauth2/…`, `/<wiki>/w/api.php`.
 * Test control (not MediaWiki): POST /_test/users registers a user with groups per wiki and global groups;
 * POST /_test/down takes a wiki's API down; GET /health.
 */
export interface FakeWikiUser {
  name: string;
  /** central id (CentralAuth) — the OAuth profile's `sub` */
  id: number;
  /** local groups per wiki id (implicit groups * and user are added); a wiki not named here: no account there */
  groups: Record<string, string[]>;
  /** global groups (CentralAuth) */
  global: string[];
  /** wikis where this name belongs to someone else (another central id) */
  impostorOn?: string[];
}

export interface FakeWikiOptions {
  port?: number;
  host?: string;
  hostWiki?: string;
  clientId: string;
  clientSecret: string;
  /** the only redirect URI the consumer registered (checked exactly when set) */
  redirectUri?: string;
}

export interface FakeWiki {
  url: string;
  /** the OAuth host's script path (MASKPATROL_OAUTH_BASE_URL) */
  baseUrl: string;
  apiUrl(wiki: string): string;
  addUser(u: Omit<FakeWikiUser, 'id'> & { id?: number }): FakeWikiUser;
  setDown(wiki: string, down: boolean): void;
  /** Action API requests served, per wiki */
  apiCalls: Record<string, number>;
  close(): Promise<void>;
}

type Q = URLSearchParams;

export async function startFakeWiki(opts: FakeWikiOptions): Promise<FakeWiki> {
  const hostWiki = opts.hostWiki ?? 'metawiki';
  const users = new Map<string, FakeWikiUser>();
  const codes = new Map<string, { user: string; redirectUri: string; expires: number }>();
  const tokens = new Map<string, { user: string; expires: number }>();
  const down = new Set<string>();
  const apiCalls: Record<string, number> = {};
  let nextId = 7001;

  const addUser: FakeWiki['addUser'] = (u) => {
    const full: FakeWikiUser = { ...u, id: u.id ?? nextId++ };
    users.set(full.name, full);
    return full;
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let b = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => {
        b += d;
        if (b.length > 65536) req.destroy();
      });
      req.on('end', () => resolve(b));
      req.on('error', reject);
    });
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  function consent(res: http.ServerResponse, q: Q, error?: string) {
    const hidden = ['client_id', 'redirect_uri', 'state', 'response_type', 'scope', 'code_challenge', 'code_challenge_method']
      .filter((k) => q.has(k))
      .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k)!)}">`)
      .join('');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Fake wiki – authorize</title></head><body>
<h1>Log in to the fake wiki and allow maskpatrol</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post"><label>Wiki username <input name="username" autocomplete="off"></label>${hidden}
<button type="submit">Allow</button></form></body></html>`);
  }

  function authorize(req: http.IncomingMessage, res: http.ServerResponse, q: Q) {
    if (q.get('response_type') !== 'code') return json(res, 400, { error: 'unsupported_response_type' });
    if (q.get('client_id') !== opts.clientId) return json(res, 401, { error: 'invalid_client' });
    const redirectUri = q.get('redirect_uri') ?? '';
    if (opts.redirectUri && redirectUri !== opts.redirectUri) return json(res, 400, { error: 'invalid_request', message: 'redirect_uri mismatch' });
    if (req.method === 'GET') return consent(res, q);
    const user = users.get(q.get('username') ?? '');
    if (!user) return consent(res, q, 'No such user.');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { user: user.name, redirectUri, expires: Date.now() + 60_000 });
    const to = new URL(redirectUri);
    to.searchParams.set('code', code);
    if (q.has('state')) to.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { Location: to.toString() });
    res.end();
  }

  function token(req: http.IncomingMessage, res: http.ServerResponse, q: Q) {
    let id = q.get('client_id') ?? '';
    let secret = q.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s));
      id = u ?? '';
      secret = p ?? '';
    }
    if (id !== opts.clientId || !same(secret, opts.clientSecret)) return json(res, 401, { error: 'invalid_client' });
    if (q.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = codes.get(q.get('code') ?? '');
    codes.delete(q.get('code') ?? ''); // single use
    if (!code || code.expires < Date.now() || code.redirectUri !== (q.get('redirect_uri') ?? '')) return json(res, 400, { error: 'invalid_grant' });
    const access = randomBytes(24).toString('hex');
    tokens.set(access, { user: code.user, expires: Date.now() + 4 * 3600_000 });
    json(res, 200, { token_type: 'Bearer', expires_in: 14400, access_token: access, refresh_token: randomBytes(24).toString('hex') });
  }

  function profile(req: http.IncomingMessage, res: http.ServerResponse) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const t = bearer ? tokens.get(bearer) : undefined;
    const u = t && t.expires > Date.now() ? users.get(t.user) : undefined;
    if (!u) return json(res, 401, { error: 'invalid_token' });
    const groups = u.groups[hostWiki] ? ['*', 'user', ...u.groups[hostWiki]!] : ['*'];
    json(res, 200, { sub: String(u.id), username: u.name, editcount: 10, confirmed_email: false, blocked: false, registered: '20200101000000', groups, rights: ['read'], grants: ['basic'] });
  }

  function api(res: http.ServerResponse, wiki: string, q: Q) {
    apiCalls[wiki] = (apiCalls[wiki] ?? 0) + 1;
    if (down.has(wiki)) return json(res, 503, { error: { code: 'readonly', info: 'down for maintenance' } });
    if (q.get('action') !== 'query') return json(res, 200, { error: { code: 'badvalue', info: 'only action=query' } });
    const query: Record<string, unknown> = {};
    const warnings: string[] = [];
    if (q.get('list') === 'users') {
      const props = (q.get('usprop') ?? '').split('|');
      query.users = (q.get('ususers') ?? '').split('|').map((name) => {
        const u = users.get(name);
        if (!u || (!u.groups[wiki] && !u.impostorOn?.includes(wiki))) return { name, missing: true };
        const imp = u.impostorOn?.includes(wiki);
        const central = imp ? u.id + 100000 : u.id;
        const entry: Record<string, unknown> = { userid: central + 10, name };
        if (props.includes('groups')) entry.groups = ['*', 'user', ...(imp ? [] : u.groups[wiki] ?? [])];
        if (props.includes('centralids')) entry.centralids = { CentralAuth: central, local: central + 10 };
        return entry;
      });
    }
    const meta = (q.get('meta') ?? '').split('|').filter(Boolean);
    for (const m of meta) {
      if (m === 'siteinfo') query.general = { wikiid: wiki, sitename: `Fake ${wiki}` };
      else if (m === 'globaluserinfo' && wiki === hostWiki) {
        const u = users.get(q.get('guiuser') ?? '');
        query.globaluserinfo = u ? { id: u.id, name: u.name, home: hostWiki, groups: u.global } : { missing: true };
      } else warnings.push(`Unrecognized value for parameter "meta": ${m}`);
    }
    json(res, 200, { batchcomplete: true, ...(warnings.length ? { warnings: { main: { warnings: warnings.join('\n') } } } : {}), query });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = req.method === 'POST' ? await readBody(req) : '';
      const q = req.method === 'POST' && !(req.headers['content-type'] ?? '').includes('json') ? new URLSearchParams(body) : url.searchParams;
      const m = /^\/([a-z][a-z0-9_-]*)\/w\/(api\.php|rest\.php\/oauth2\/(authorize|access_token|resource\/profile))$/.exec(url.pathname);
      if (url.pathname === '/health') return json(res, 200, { ok: true });
      if (url.pathname === '/_test/users' && req.method === 'POST') return json(res, 200, addUser(JSON.parse(body) as FakeWikiUser));
      if (url.pathname === '/_test/down' && req.method === 'POST') {
        const { wiki, down: d } = JSON.parse(body) as { wiki: string; down: boolean };
        if (d) down.add(wiki);
        else down.delete(wiki);
        return json(res, 200, { ok: true });
      }
      if (!m) return json(res, 404, { error: 'not_found' });
      const [, wiki, what] = m;
      if (what === 'api.php') return api(res, wiki!, url.searchParams);
      if (wiki !== hostWiki) return json(res, 404, { error: 'no OAuth on this wiki' });
      if (what!.endsWith('authorize')) return authorize(req, res, req.method === 'POST' ? new URLSearchParams([...url.searchParams, ...q]) : q);
      if (what!.endsWith('access_token') && req.method === 'POST') return token(req, res, q);
      if (what!.endsWith('profile')) return profile(req, res);
      json(res, 405, { error: 'method_not_allowed' });
    })().catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    baseUrl: `${url}/${hostWiki}/w`,
    apiUrl: (wiki) => `${url}/${wiki}/w/api.php`,
    addUser,
    setDown: (wiki, d) => (d ? down.add(wiki) : down.delete(wiki)),
    apiCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
