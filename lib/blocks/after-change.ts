import type { PrismaClient } from '../db/generated/client';
import { publishBlocksChanged } from './events';
import { blockMatcherStarted, sharedBlockMatcher } from './shared';

/**
 * After a block verb committed: reload this process's matcher before the verb returns (so the next event is
 * checked against the new set), then tell everyone else (bus, NOTIFY) and wake the outbound sync.
 */
export async function afterBlockChange(_prisma: PrismaClient): Promise<void> {
  if (blockMatcherStarted()) await sharedBlockMatcher().reload();
  publishBlocksChanged();
}
