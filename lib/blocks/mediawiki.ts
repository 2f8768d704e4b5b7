/**
 * A small MediaWiki Action API client for blocks: list=blocks (import), the bot-password login flow
 * (meta=tokens type=login → action=login), a CSRF token, action=block and action=unblock. Cookies are kept per
 * session. Errors carry the API's error code or the HTTP status only: a wiki's message can quote the target,
 * which may be an address.
 */
export class MediaWikiError extends Error {
  override name = 'MediaWikiError';
  constructor(readonly code: string) {
    super(`MediaWiki API error: ${code}`);
  }
}

export interface WikiBlock {
  id: number;
  user: string;
  by: string;
  expiry: string;
  reason: string;
  anononly?: boolean;
  nocreate?: boolean;
  autoblock?: boolean;
  partial?: boolean;
  restrictions?: { pages?: { title: string }[]; namespaces?: number[] } | unknown[];
}

const UA = 'maskpatrol-blocks/0.1 (anti-vandalism dashboard)';

export class MediaWikiSession {
  private cookies = new Map<string, string>();
  constructor(
    private readonly api: string,
    private readonly timeoutMs = 15_000,
  ) {}

  private async call(params: Record<string, string>, post = false): Promise<Record<string, unknown>> {
    const q = new URLSearchParams({ format: 'json', formatversion: '2', ...params });
    const headers: Record<string, string> = { 'User-Agent': UA, 'Api-User-Agent': UA };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let res: Response;
    try {
      res = post
        ? await fetch(this.api, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: q, signal: AbortSignal.timeout(this.timeoutMs) })
        : await fetch(`${this.api}?${q}`, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new MediaWikiError((err as Error).name === 'TimeoutError' ? 'timeout' : 'network');
    }
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      if (i > 0) this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
    if (!res.ok) throw new MediaWikiError(`http-${res.status}`);
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) throw new MediaWikiError('invalid-json');
    const error = body.error as { code?: string } | undefined;
    if (error) throw new MediaWikiError(String(error.code ?? 'unknown').slice(0, 60));
    return body;
  }

  private async token(type: 'login' | 'csrf'): Promise<string> {
    const r = await this.call({ action: 'query', meta: 'tokens', type });
    const t = ((r.query as { tokens?: Record<string, string> })?.tokens ?? {})[`${type}token`];
    if (!t) throw new MediaWikiError('no-token');
    return t;
  }

  /** Bot password login (Special:BotPasswords): lgname "User@botname". */
  async login(user: string, password: string): Promise<void> {
    const lgtoken = await this.token('login');
    const r = await this.call({ action: 'login', lgname: user, lgpassword: password, lgtoken }, true);
    const result = (r.login as { result?: string })?.result;
    if (result !== 'Success') throw new MediaWikiError(`login-${String(result ?? 'failed').toLowerCase()}`);
  }

  /** Every active block of the wiki (follows continuation; at most `max`). */
  async listBlocks(max = 100_000): Promise<WikiBlock[]> {
    const out: WikiBlock[] = [];
    let cont: Record<string, string> = {};
    for (;;) {
      const r = await this.call({
        action: 'query',
        list: 'blocks',
        bkprop: 'id|user|by|timestamp|expiry|reason|range|flags|restrictions',
        bklimit: 'max',
        ...cont,
      });
      out.push(...(((r.query as { blocks?: WikiBlock[] })?.blocks ?? []) as WikiBlock[]));
      const next = r.continue as Record<string, string> | undefined;
      if (!next || out.length >= max) return out;
      cont = next;
    }
  }

  /** action=block (reblock when `reblock`); returns the wiki's block id. */
  async block(p: {
    target: string;
    expiry: string;
    reason: string;
    anonOnly: boolean;
    noCreate: boolean;
    autoblock: boolean;
    pages: string[];
    namespaces: number[];
    reblock: boolean;
  }): Promise<number | null> {
    const token = await this.token('csrf');
    const params: Record<string, string> = { action: 'block', user: p.target, expiry: p.expiry, reason: p.reason, token };
    if (p.anonOnly) params.anononly = '1';
    if (p.noCreate) params.nocreate = '1';
    if (p.autoblock) params.autoblock = '1';
    if (p.reblock) params.reblock = '1';
    if (p.pages.length || p.namespaces.length) {
      params.partial = '1';
      if (p.pages.length) params.pagerestrictions = p.pages.join('|');
      if (p.namespaces.length) params.namespacerestrictions = p.namespaces.join('|');
    }
    const r = await this.call(params, true);
    const id = (r.block as { id?: number })?.id;
    return typeof id === 'number' ? id : null;
  }

  async unblock(p: { id: number; reason: string }): Promise<void> {
    const token = await this.token('csrf');
    await this.call({ action: 'unblock', id: String(p.id), reason: p.reason, token }, true);
  }
}
