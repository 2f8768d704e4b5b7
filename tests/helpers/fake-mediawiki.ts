import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { WikiBlock } from '@/lib/blocks/mediawiki';

/**
 * A fake MediaWiki Action API on loopback for the block import and sync tests: list=blocks with continuation
 * (two per page), the bot-password login flow with a session cookie and login/CSRF tokens, action=block and
 * action=unblock. Records every write; `failWrites` makes the next n writes answer an API error.
 */
export interface FakeWiki {
  api: string;
  blocks: WikiBlock[];
  writes: Record<string, string>[];
  failWrites: number;
  close(): Promise<void>;
}

export async function fakeMediaWiki(opts: { user: string; password: string; blocks?: WikiBlock[] }): Promise<FakeWiki> {
  const sessions = new Map<string, { loggedIn: boolean; loginToken: string; csrf: string }>();
  let nextId = 1000;
  const byUser = new Map<string, number>();
  const state: FakeWiki = { api: '', blocks: opts.blocks ?? [], writes: [], failWrites: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const p = new URLSearchParams(req.method === 'POST' ? body : url.search);
      const sid = /session=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
      let s = sid ? sessions.get(sid) : undefined;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (!s) {
        const id = randomBytes(8).toString('hex');
        s = { loggedIn: false, loginToken: randomBytes(8).toString('hex') + '+\\', csrf: randomBytes(8).toString('hex') + '+\\' };
        sessions.set(id, s);
        headers['Set-Cookie'] = `session=${id}; path=/; HttpOnly`;
      }
      const send = (o: unknown) => (res.writeHead(200, headers), res.end(JSON.stringify(o)));
      const error = (code: string) => send({ error: { code, info: `error about ${p.get('user') ?? ''}` } });
      const action = p.get('action');
      if (action === 'query' && p.get('list') === 'blocks') {
        const from = Number(p.get('bkcontinue') ?? 0);
        const page = state.blocks.slice(from, from + 2);
        return send({ query: { blocks: page }, ...(from + 2 < state.blocks.length ? { continue: { bkcontinue: String(from + 2), continue: '-||' } } : {}) });
      }
      if (action === 'query' && p.get('meta') === 'tokens')
        return send({ query: { tokens: p.get('type') === 'login' ? { logintoken: s.loginToken } : { csrftoken: s.loggedIn ? s.csrf : '+\\' } } });
      if (req.method !== 'POST') return error('mustpostparams');
      if (action === 'login') {
        if (p.get('lgtoken') !== s.loginToken) return send({ login: { result: 'Failed', reason: 'bad token' } });
        if (p.get('lgname') !== opts.user || p.get('lgpassword') !== opts.password) return send({ login: { result: 'Failed' } });
        s.loggedIn = true;
        return send({ login: { result: 'Success', lgusername: opts.user } });
      }
      if (action === 'block' || action === 'unblock') {
        if (!s.loggedIn || p.get('token') !== s.csrf) return error('badtoken');
        if (state.failWrites > 0) {
          state.failWrites--;
          return error('ratelimited');
        }
        state.writes.push(Object.fromEntries(p));
        if (action === 'block') {
          const user = p.get('user') ?? '';
          if (byUser.has(user) && !p.get('reblock')) return error('alreadyblocked');
          if (!byUser.has(user)) byUser.set(user, ++nextId);
          return send({ block: { user, id: byUser.get(user), expiry: p.get('expiry') } });
        }
        return send({ unblock: { id: Number(p.get('id')) } });
      }
      return error('badvalue');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}
