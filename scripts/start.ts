/**
 * `npm start` (and `npm run dev`): build when needed, open the database (embedded PGlite by default,
 * PostgreSQL with DATABASE_URL), migrate, seed demo accounts on first start, serve the Next.js app.
 *
 * On the embedded default this process owns the data directory (lock file) and shares the database over
 * a Unix socket, which the web tier in this process and the command-line tools connect to.
 */
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
import { startCheckpoints } from '../lib/audit/checkpoint-start';
import { log } from '../lib/log';
import { ensureBuild } from './build';
import { listenForStored } from '../lib/ingest/listen';
import { startIngestion } from '../lib/ingest/service';
import { sharedIpContext } from '../lib/context/shared';
import { startBlockJobs } from '../lib/blocks/jobs';
import { startWikiRoleRefresh } from '../lib/auth/wiki-refresh';

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

  if (!dev) ensureBuild((msg) => log().info(msg));

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

  // audit checkpoints: the signing key (created on first start), the file, the timer
  const checkpoints = await startCheckpoints(config);
  cleanups.unshift(() => checkpoints.stop({ final: true })); // shutting down leaves no row uncovered

  const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: config.HOST ?? 'localhost' });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trustProxy = process.env.MASKPATROL_TRUST_PROXY === 'true';
  const server = http.createServer((req, res) => {
    // the client address for sign-in rate limiting, set here so a client cannot forge it; behind a reverse
    // proxy (MASKPATROL_TRUST_PROXY=true) the proxy's X-Forwarded-For is used instead
    const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
    req.headers['x-maskpatrol-client'] = forwarded || req.socket.remoteAddress || 'unknown';
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
  // blocks load before the feeds start storing (enforcement on ingest, expiry sweep)
  const stopBlocks = startBlockJobs();
  cleanups.unshift(async () => stopBlocks());
  // IP context data (step 9): loaded once here, before any feed or /api/ingest request needs it (≈ 2 s)
  sharedIpContext();
  const ingestion = startIngestion({ embedded: !!embedded, keysDir: config.keysDir, databaseUrl: config.DATABASE_URL });
  cleanups.unshift(() => ingestion.stop());
  // OAuth accounts: roles follow the wiki groups between sign-ins too (off unless OAuth is configured)
  const refresh = startWikiRoleRefresh();
  cleanups.unshift(async () => refresh.stop());
  if (config.DATABASE_URL) {
    // live updates from whichever instance ingests
    const listener = listenForStored(config.DATABASE_URL);
    cleanups.unshift(() => listener.stop());
  }
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
