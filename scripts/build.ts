/**
 * Build the web app when the sources changed since the last build (or there is none). Used by `npm start`
 * and the test runner; `npm run build` always builds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.js', 'package-lock.json', 'tsconfig.json', 'prisma/schema.prisma'];
const SKIP = new Set(['generated', 'node_modules']);

export function sourceDigest(): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!SKIP.has(name)) walk(path.join(p, name));
    } else {
      h.update(p).update('\0').update(fs.readFileSync(p)).update('\0');
    }
  };
  for (const r of ROOTS) walk(r);
  return h.digest('hex');
}

/** Returns true when it built. Throws when the build fails. */
export function ensureBuild(log: (msg: string) => void = console.log): boolean {
  const stamp = path.resolve('.next', 'maskpatrol-build.json');
  const digest = sourceDigest();
  let have: string | null = null;
  if (fs.existsSync(path.resolve('.next', 'BUILD_ID')) && fs.existsSync(stamp)) {
    try {
      have = (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { digest: string }).digest;
    } catch {
      have = null;
    }
  }
  if (have === digest) return false;
  log('building the web app (first start or sources changed); this takes a minute or two');
  const r = spawnSync(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  fs.writeFileSync(stamp, JSON.stringify({ digest, builtAt: new Date().toISOString() }));
  return true;
}
