import type { PrismaClient } from '../db/generated/client';
import { loadConfig } from '../config';
import { BLOCKS_CHANNEL, INSTANCE_ID } from '../ingest/listen';
import { log } from '../log';
import { publishBlocksChanged } from './events';
import { blockMatcherStarted, sharedBlockMatcher } from './shared';

/**
 * After a block verb committed: reload this process's matcher before the verb returns (so the next event is
 * checked against the new set), then tell everyone else — this process's bus (sync job) and, on PostgreSQL, the
 * other instances (NOTIFY maskpatrol_blocks; lib/ingest/listen.ts re-publishes it there).
 */
export async function afterBlockChange(prisma: PrismaClient): Promise<void> {
  if (blockMatcherStarted()) await sharedBlockMatcher().reload();
  publishBlocksChanged();
  if (!loadConfig().embedded)
    await prisma.$executeRawUnsafe(`SELECT pg_notify('${BLOCKS_CHANNEL}', $1)`, INSTANCE_ID).catch((err: unknown) =>
      log().warn({ err: { name: (err as Error).name } }, 'NOTIFY of a block change failed; other instances reload within a minute'),
    );
}
