import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlockMatcher } from '@/lib/blocks/matcher';
import type { BlockDeps } from '@/lib/blocks/targets';
import type { PrismaClient } from '@/lib/db/generated/client';
import type { RawEdit } from '@/lib/feed/types';
import { runFeed } from '@/lib/ingest/ingester';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { testContext } from './context';

/** A key store, masker, block deps and matcher on a movable clock, and ingest through the real runFeed. */
export interface BlockRig {
  keysDir: string;
  keys: KeyRing;
  masker: Masker;
  deps: BlockDeps;
  matcher: BlockMatcher;
  setNow(d: Date): void;
  now(): Date;
  /** ingest raw edits through runFeed (masking, enforcement, storage); returns the stored rows, in order */
  ingest(raws: RawEdit[]): Promise<{ id: bigint; sourceId: string; evasionBlockId: string | null; extraRanges: unknown }[]>;
  cleanup(): void;
}

let feedN = 0;
export function blockRig(prisma: PrismaClient, start = new Date('2026-03-01T12:00:00Z')): BlockRig {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-blocks-'));
  const keysDir = path.join(root, 'keys');
  let now = start;
  const clock = () => now;
  const keys = new KeyRing(keysDir, clock, 0);
  const masker = new Masker({ keys, limits: { v4: 16, v6: 19 }, context: testContext() });
  const deps: BlockDeps = { keys, keysDir, limits: { v4: 16, v6: 19 }, now: clock, wikis: [] };
  const matcher = new BlockMatcher(() => prisma, keys, keysDir, () => now.getTime());
  return {
    keysDir,
    keys,
    masker,
    deps,
    matcher,
    setNow: (d) => (now = d),
    now: clock,
    async ingest(raws) {
      await runFeed(
        {
          name: `test-${++feedN}`,
          async *open() {
            for (const edit of raws) yield { kind: 'edit' as const, edit, cursor: null };
          },
        },
        { prisma: () => prisma, masker, blocks: matcher, flushMs: 5 },
        new AbortController().signal,
      );
      const rows = await prisma.edit.findMany({
        where: { sourceId: { in: raws.map((r) => r.sourceId) } },
        select: { id: true, sourceId: true, evasionBlockId: true, extraRanges: true },
      });
      return raws.map((r) => rows.find((x) => x.sourceId === r.sourceId)!);
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
