/**
 * `npm start` (and `npm run dev`): build when needed, open the database (embedded PGlite by default,
 * PostgreSQL with DATABASE_URL), migrate, seed demo accounts on first start, serve the Next.js app.
 *
 * On the embedded default this process owns the data directory (lock file) and shares the database over
 * a Unix socket, which the web tier in this process and the command-line tools connect to.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { ConfigError, loadConfig } from '../lib/config';
import { pgMigrationFactory, prismaForPg, prismaForPglite, setDb } from '../lib/db/client';
import { openEmbedded, shareOverSocket, type EmbeddedDb } from '../lib/db/embedded';
import { DataDirLockedError } from '../lib/db/lock';
import { deployMigrations } from '../lib/db/migrate';
import { DEMO_CREDENTIALS_FILE, seedDemoAccounts } from '../lib/demo';
import { readOrCreateSecret } from '../lib/keys/store';
import { log } from '../lib/log';

const dev = process.argv.includes('--dev');
const cleanups: (() => Promise<void>)[] = [];

async function main() {
  const config = loadConfig();
  process.env.NEXTAUTH_URL ??= `http://localhost:${config.PORT}`;
  process.env.NEXTAUTH_SECRET ??= readOrCreateSecret(config.keysDir, 'session-secret').toString('base64url');

  let embedded: EmbeddedDb | undefined;
  if (config.embedded) {
    // lock first: a second server on the same directory stops here, before building or migrating anything
    embedded = await openEmbedded(config.dataDir, dev ? 'dev server' : 'server');
    cleanups.push(() => embedded!.close());
  }

  if (!dev) ensureBuild();

  if (embedded) {
    if (config.MASKPATROL_MIGRATE_ON_START) await migrate(new PrismaPGlite(embedded.pglite));
    const prisma = prismaForPglite(embedded.pglite);
    setDb(prisma);
    if (config.demoAccounts) await seedAndPrint(prisma, config.dataDir);
    setDb(undefined);
    // from here on everyone, this process included, goes through the socket
    const sharing = await shareOverSocket(embedded);
    cleanups.unshift(() => sharing.stop());
    process.env.MASKPATROL_DB_SOCKET_DIR = sharing.socketDir;
  } else {
    if (config.MASKPATROL_MIGRATE_ON_START) await migrate(pgMigrationFactory({ connectionString: config.DATABASE_URL }));
    if (config.demoAccounts) {
      const prisma = prismaForPg({ connectionString: config.DATABASE_URL });
      setDb(prisma);
      await seedAndPrint(prisma, config.dataDir);
      setDb(undefined);
      await prisma.$disconnect();
    }
  }

  const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: config.HOST ?? 'localhost' });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log().error({ err }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (config.HOST) server.listen(config.PORT, config.HOST, resolve);
    else server.listen(config.PORT, resolve);
  });
  cleanups.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  log().info(
    { port: config.PORT, database: embedded ? 'embedded' : 'postgresql', dev },
    `maskpatrol is serving on http://localhost:${config.PORT}`,
  );
}

async function migrate(factory: SqlMigrationAwareDriverAdapterFactory) {
  const applied = await deployMigrations(factory);
  log().info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
}

async function seedAndPrint(prisma: ReturnType<typeof prismaForPglite>, dataDir: string) {
  const created = await seedDemoAccounts(prisma, dataDir);
  if (!created) return;
  // printed once, on purpose, to the terminal (not the structured log); also in a 0600 file
  const lines = created.map((c) => `  ${c.role.padEnd(10)} ${c.username.padEnd(16)} ${c.password}`);
  process.stdout.write(
    `\n  Demo accounts created (shown once; also in ${path.join(dataDir, DEMO_CREDENTIALS_FILE)}, mode 0600):\n` +
      `${lines.join('\n')}\n\n`,
  );
}

/** Rebuild when the sources changed since the last build (or there is none). */
function ensureBuild() {
  const stamp = path.resolve('.next', 'maskpatrol-build.json');
  const digest = sourceDigest();
  const have = fs.existsSync(path.resolve('.next', 'BUILD_ID')) && fs.existsSync(stamp)
    ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { digest: string }).digest
    : null;
  if (have === digest) return;
  log().info('building the web app (first start or sources changed); this takes about a minute');
  const r = spawnSync(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  fs.writeFileSync(stamp, JSON.stringify({ digest, builtAt: new Date().toISOString() }));
}

function sourceDigest(): string {
  const h = createHash('sha256');
  const roots = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.js', 'package-lock.json', 'tsconfig.json', 'prisma/schema.prisma'];
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      h.update(p).update('\0').update(fs.readFileSync(p)).update('\0');
    }
  };
  for (const r of roots) walk(r);
  return h.digest('hex');
}

let stopping = false;
async function shutdown(signal: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log().info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(code || 1), 10_000);
  force.unref();
  for (const c of cleanups) {
    try {
      await c();
    } catch (err) {
      log().error({ err }, 'error during shutdown');
    }
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

main().catch(async (err: unknown) => {
  if (err instanceof DataDirLockedError || err instanceof ConfigError) {
    console.error(`maskpatrol: ${err.message}`);
  } else {
    log().error({ err }, 'maskpatrol failed to start');
  }
  stopping = true;
  for (const c of cleanups) await c().catch(() => {});
  process.exit(1);
});
