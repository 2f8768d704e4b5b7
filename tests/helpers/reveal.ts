import type { UserActor } from '@/lib/auth/actors';
import type { RoleName } from '@/lib/auth/permissions';
import { ClusterTracker } from '@/lib/clustering/tracker';
import type { PrismaClient } from '@/lib/db/generated/client';
import type { RawEdit } from '@/lib/feed/types';
import { runFeed } from '@/lib/ingest/ingester';
import { createScorer } from '@/lib/scoring/score';
import { acknowledgeAgreement, recordAgreement, setRevealGrant } from '@/lib/services/reveal-admin';
import { ctx, makeActor } from './actors';
import { testMasker } from './ingest';

/** Store edits through the real ingest pipeline (masking, vault, scoring, clustering). */
export async function ingestEdits(prisma: PrismaClient, keysDir: string, edits: RawEdit[]): Promise<void> {
  const items = edits.map((edit, i) => ({ kind: 'edit' as const, edit, cursor: String(i + 1) }));
  await runFeed(
    { name: `reveal-test-${Date.now()}`, async *open() { yield* items; } },
    { prisma: () => prisma, masker: testMasker(keysDir), scorer: createScorer(), clusters: new ClusterTracker(), batchSize: 50 },
    new AbortController().signal,
  );
}

/**
 * A holder ready to reveal: the role (checkuser; or an admin a steward granted the reveal), the access
 * agreement recorded by the steward, and their own acknowledgement. Options leave steps out.
 */
export async function makeHolder(
  prisma: PrismaClient,
  steward: UserActor,
  opts: { role?: RoleName; wiki?: string; grant?: boolean; agreement?: boolean; acknowledge?: boolean } = {},
): Promise<UserActor> {
  const role = opts.role ?? 'checkuser';
  const a = await makeActor(prisma, role, opts.wiki ?? '*');
  if (opts.grant) await setRevealGrant(ctx(steward, prisma), { userId: a.id, grant: true, wiki: '*', reason: 'continued access under NDA' });
  if (opts.agreement ?? true) await recordAgreement(ctx(steward, prisma), { userId: a.id, version: 'v1', signedOn: '2026-11-01' });
  if ((opts.agreement ?? true) && (opts.acknowledge ?? true)) await acknowledgeAgreement(ctx(a, prisma), { version: 'v1' });
  return a;
}

export const GOOD_REASON = { category: 'Sockpuppetry or block evasion', reason: 'Suspected block evasion by a banned user, case on the noticeboard' };
