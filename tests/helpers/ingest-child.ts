/**
 * A child-process ingester for the crash and leader tests, run as `node --import tsx ingest-child.ts <mode>`
 * (not through tsx's CLI, which would put a second process between the test and the ingester, and a SIGKILL
 * cannot be relayed). It replays CHILD_REPLAY_FILE through the production feed spec (lib/ingest/feeds.ts:
 * time shift, pacing at CHILD_REPLAY_SPEED, resume from the stored cursor) into the PostgreSQL database at
 * DATABASE_URL — or, with CHILD_DATA_DIR instead, into the embedded PGlite of that data directory, opened
 * as `npm start` opens it (data-directory lock, migrations, shared over its Unix socket, the ingester on
 * `pg` through the socket) — with the key store CHILD_KEYS_DIR. Progress lines on stdout start with "@@ ".
 *
 *   run     runFeed directly, batches of CHILD_BATCH_SIZE; prints "@@ batch <n>" after each commit and
 *           "@@ done <totals>" at the end, then exits 0
 *   leader  startIngestion (PostgreSQL leader election) with the same spec injected; prints "@@ leader"
 *           when this instance wins the lock; stops on SIGTERM
 */
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { setDb, prismaForPg } from '../../lib/db/client';
import { openEmbedded, shareOverSocket } from '../../lib/db/embedded';
import { deployMigrations } from '../../lib/db/migrate';
import { socketPoolConfig } from '../../lib/db/socket';
import { feedSpecs } from '../../lib/ingest/feeds';
import { runFeed } from '../../lib/ingest/ingester';
import { startIngestion } from '../../lib/ingest/service';
import { KeyRing } from '../../lib/masking/keyring';
import { Masker } from '../../lib/masking/mask';
import { testContext } from './context';

const say = (line: string) => process.stdout.write(`@@ ${line}\n`);
const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const dataDir = process.env.CHILD_DATA_DIR;
const databaseUrl = dataDir ? '' : need('DATABASE_URL');
const keysDir = need('CHILD_KEYS_DIR');
const specs = feedSpecs(
  { MASKPATROL_FEED_SOURCE: 'replay', MASKPATROL_REPLAY_FILE: need('CHILD_REPLAY_FILE'), MASKPATROL_REPLAY_SPEED: process.env.CHILD_REPLAY_SPEED ?? 'max' },
  false,
);

/** The embedded database as the server holds it: locked, migrated, shared over its socket. */
async function embeddedPool(dir: string): Promise<{ config: pg.PoolConfig; close(): Promise<void> }> {
  const embedded = await openEmbedded(dir, 'ingest-child');
  await deployMigrations(new PrismaPGlite(embedded.pglite));
  const sharing = await shareOverSocket(embedded);
  return { config: socketPoolConfig(sharing.socketDir, 2), close: async () => (await sharing.stop(), await embedded.close()) };
}

async function run() {
  const embedded = dataDir ? await embeddedPool(dataDir) : null;
  const config: pg.PoolConfig = embedded?.config ?? { connectionString: databaseUrl, max: 2 };
  const prisma = prismaForPg(config);
  const sql = new pg.Pool(config);
  const masker = new Masker({ keys: new KeyRing(keysDir), limits: { v4: 16, v6: 19 }, context: testContext() });
  say('open');
  const totals = await runFeed(
    specs[0]!,
    {
      prisma: () => prisma,
      sql: () => sql,
      masker,
      batchSize: Number(process.env.CHILD_BATCH_SIZE ?? 25),
      onBatch: (_f, r) => say(`batch ${r.stored.length}`),
    },
    new AbortController().signal,
  );
  say(`done ${JSON.stringify(totals)}`);
  await prisma.$disconnect();
  await sql.end();
  await embedded?.close();
  process.exit(0);
}

async function leader() {
  setDb(prismaForPg({ connectionString: databaseUrl, max: 4 }));
  const handle = startIngestion({ embedded: false, keysDir, databaseUrl, specs, retryMs: Number(process.env.CHILD_RETRY_MS ?? 200) });
  const poll = setInterval(() => {
    if (handle.isLeader()) {
      say('leader');
      clearInterval(poll);
    }
  }, 20);
  process.on('SIGTERM', () => {
    clearInterval(poll);
    void handle.stop().then(() => process.exit(0));
  });
}

const mode = process.argv[2];
const main = mode === 'run' ? run : mode === 'leader' ? leader : null;
if (!main) throw new Error('usage: ingest-child.ts run|leader');
main().catch((err: unknown) => {
  process.stderr.write(`ingest-child failed: ${(err as Error)?.name}: ${(err as Error)?.message}\n`);
  process.exit(1);
});
