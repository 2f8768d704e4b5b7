import pg from 'pg';
import { db } from '../db/client';
import { closeSqlPool, sqlPool } from '../db/sql';
import { KeyRing } from '../masking/keyring';
import { Masker } from '../masking/mask';
import { sharedIpContext } from '../context/shared';
import { log } from '../log';
import { publishStored, type EditsStored } from './bus';
import { feedSpecs } from './feeds';
import { notifyStored } from './listen';
import { sharedScorer } from '../scoring/shared';
import { warmScorer } from '../scoring/warm';
import { sharedClusterTracker } from '../clustering/tracker';
import { runFeed, type FeedSpec } from './ingester';
import { sharedBlockMatcher } from '../blocks/shared';

/**
 * The deployment's ingester. On the embedded default the server process ingests in-process. On
 * PostgreSQL every app instance competes for a session advisory lock; the holder ingests, the others
 * retry every few seconds and take over within seconds when the holder dies (its connection, and so
 * its lock, goes with it).
 */
export const INGEST_LOCK_KEY = 734_602_202;

export interface IngestionHandle {
  stop(): Promise<void>;
  isLeader(): boolean;
}

export interface StartIngestionOptions {
  embedded: boolean;
  keysDir: string;
  databaseUrl?: string;
  env?: Record<string, string | undefined>;
  /** override the configured feeds (tests) */
  specs?: FeedSpec[];
  retryMs?: number;
}

/**
 * The cluster engine's memory does not survive a restart (its evidence windows are minutes to an hour):
 * clusters a previous run left open are closed, and new activity forms new clusters.
 */
async function closeStaleClusters(prisma: ReturnType<typeof db>): Promise<void> {
  await prisma.$executeRawUnsafe(`UPDATE cluster SET status = 'closed', "closedAt" = now(), "updatedAt" = now() WHERE status = 'active'`);
}

export function startIngestion(o: StartIngestionOptions): IngestionHandle {
  const specs = o.specs ?? feedSpecs(o.env ?? process.env, o.embedded);
  const abort = new AbortController();
  let leader = false;
  let lockClient: pg.Client | null = null;
  const running: Promise<unknown>[] = [];

  const runAll = () => {
    leader = true;
    const masker = new Masker({ keys: new KeyRing(o.keysDir), context: sharedIpContext() });
    log().info({ feeds: specs.map((s) => s.name) }, specs.length ? 'ingesting' : 'no feeds configured');
    // on PostgreSQL the other instances hear of each batch through NOTIFY on the leader's connection
    const publish = (e: EditsStored) => {
      publishStored(e);
      if (lockClient)
        notifyStored(lockClient, e).catch((err: unknown) =>
          log().warn({ err: { name: (err as Error).name } }, 'NOTIFY of stored edits failed; other instances miss one live update'),
        );
    };
    // batches go to the database through plain `pg` (lib/db/sql.ts) when the process has its configuration
    const storeSql = process.env.DATABASE_URL || process.env.MASKPATROL_DB_SOCKET_DIR ? sqlPool : undefined;
    // the scorer remembers recent reverts and warnings: rebuild that memory from what is stored first
    const scorer = sharedScorer();
    const clusters = sharedClusterTracker();
    const warmed = Promise.all([warmScorer(db(), scorer), closeStaleClusters(db())]).then(([n]) => n).then(
      (n) => log().info({ edits: n }, 'revert-risk history rebuilt from stored edits'),
      (err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'could not rebuild the revert-risk history; starting empty'),
    );
    for (const spec of specs)
      running.push(
        warmed
          .then(() => runFeed(spec, { prisma: db, sql: storeSql, masker, scorer, clusters, publish, blocks: sharedBlockMatcher() }, abort.signal))
          .then((t) => log().info({ feed: spec.name, ...t }, 'feed finished')),
      );
  };

  const elect = async () => {
    const retry = o.retryMs ?? 3000;
    while (!abort.signal.aborted) {
      try {
        const c = new pg.Client({ connectionString: o.databaseUrl });
        c.on('error', () => {});
        await c.connect();
        const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [INGEST_LOCK_KEY]);
        if (r.rows[0]?.ok) {
          lockClient = c;
          // losing the connection loses the lock: stop ingesting at once; the process restarts it
          c.on('end', () => {
            if (!abort.signal.aborted) {
              log().error('lost the ingest leadership connection; stopping ingestion');
              abort.abort();
            }
          });
          log().info('this instance is the ingest leader');
          runAll();
          return;
        }
        await c.end();
      } catch (err) {
        log().warn({ err: { name: (err as Error).name } }, 'ingest leader election failed; retrying');
      }
      await new Promise((r) => setTimeout(r, retry));
    }
  };

  if (specs.length === 0) log().info('no feeds configured (MASKPATROL_FEED_SOURCE)');
  else if (o.embedded) runAll();
  else void elect();

  return {
    isLeader: () => leader,
    async stop() {
      abort.abort();
      await Promise.allSettled(running);
      if (lockClient) await (lockClient as pg.Client).end().catch(() => {});
      await closeSqlPool().catch(() => {});
    },
  };
}
