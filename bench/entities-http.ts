/**
 * The HTTP half of bench:entities (`--http`): the real server (`scripts/start.ts`, production build) on the
 * benchmark's PostgreSQL database, a patroller signed in through next-auth's credentials endpoint, and the
 * JSON APIs timed over loopback: GET /api/queue, /api/actors/[key], /api/ranges/[key], /api/clusters/[id],
 * next to GET /api/health (one database round trip, no session) as the baseline of the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PrismaClient } from '../lib/db/generated/client';
import { createUser } from '../lib/services/user-create';
import { ensureBuild } from '../scripts/build';

export interface HttpCase {
  name: string;
  path: (i: number) => string;
}

/** Cookie jar of one client: name → value, from Set-Cookie headers. */
export class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function waitForHealth(base: string, child: ChildProcess, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see its log`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not become healthy in time');
}

export async function signIn(base: string, username: string, password: string): Promise<Jar> {
  const jar = new Jar();
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header(), Origin: base },
    body: new URLSearchParams({ csrfToken, username, password, totp: '', json: 'true' }),
  });
  jar.take(res);
  if (!jar.header().includes('session-token')) throw new Error(`sign-in failed (${res.status})`);
  return jar;
}

/**
 * Start the server on `databaseUrl`, sign a patroller in, run every case `samples` times after a warm-up,
 * and return the latencies in ms per case. The server is stopped before returning.
 */
export async function timeOverHttp(
  prisma: PrismaClient,
  databaseUrl: string,
  cases: HttpCase[],
  samples: number,
): Promise<Map<string, number[]>> {
  ensureBuild((m) => console.log(m));
  const password = 'bench-http-password-0123456789';
  // a database kept by --keep already has the patroller (same password)
  await createUser({ actor: { kind: 'system', name: 'bench:entities' }, db: prisma }, {
    username: 'bench-patroller',
    password,
    roles: [{ role: 'patroller', wiki: '*' }],
    reason: 'bench:entities over HTTP',
  }).catch((err: { code?: string }) => {
    if (err.code !== 'conflict') throw err;
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-http-'));
  const port = Number(process.env.BENCH_HTTP_PORT ?? 3190);
  const base = `http://localhost:${port}`;
  const logFile = fs.openSync(path.join(dir, 'server.log'), 'w');
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MASKPATROL_DATA_DIR: path.join(dir, 'data'),
      MASKPATROL_KEYS_DIR: path.join(dir, 'keys'),
      MASKPATROL_FEED_SOURCE: 'none',
      MASKPATROL_DEMO_ACCOUNTS: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', logFile, logFile],
  });
  try {
    await waitForHealth(base, child, 300_000);
    const jar = await signIn(base, 'bench-patroller', password);
    const get = async (p: string) => {
      const res = await fetch(`${base}${p}`, { headers: { Cookie: jar.header() } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${p.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`);
    };
    const out = new Map<string, number[]>();
    for (const c of cases) {
      for (let i = 0; i < 20; i++) await get(c.path(i)); // warm-up: route compilation caches, plans, pool
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        await get(c.path(i));
        times.push(performance.now() - t);
      }
      out.set(c.name, times);
    }
    return out;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    fs.closeSync(logFile);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
