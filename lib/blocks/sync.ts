import ipaddr from 'ipaddr.js';
import type { PrismaClient } from '../db/generated/client';
import { log } from '../log';
import { executeVerb, type ServiceContext } from '../services/verb';
import { openAnchor, isActorAnchor, type Anchor } from './anchor';
import { MediaWikiError, MediaWikiSession } from './mediawiki';
import type { BlockDeps } from './targets';
import { DEFAULT_SYNC_BACKOFF, syncs, type SyncBackoff } from './wikis';

/**
 * The outbound sync: after a block verb committed, blocks marked `pending` on a wiki configured for sync are
 * pushed to it (action=block, reblock when the wiki already has it; action=unblock for unblocked ones), logged in
 * with the wiki's bot password. A failure is retried with exponential backoff (base · 2^attempts, capped; both
 * configurable: MASKPATROL_BLOCK_SYNC_BACKOFF_MS / _MAX_MS). The wiki being unreachable (network, timeout, HTTP
 * 5xx, maxlag, read-only) never ends the retries: the block stays `pending` with the error visible until the wiki
 * answers. Any other error turns the block `failed` after MAX_ATTEMPTS. Errors keep the API's error code only
 * (never its message, which may quote the target). Every outcome change is audited as the system actor
 * "block-sync" (block.sync when pushed, block.sync-failed when a new error appears or the block turns failed), in
 * the same transaction as the block row's sync status. The anchor is opened only here, to name the target to the
 * wiki it came from.
 */
export const MAX_ATTEMPTS = 5;
const SYNC_CTX: ServiceContext = { actor: { kind: 'system', name: 'block-sync' }, request: { via: 'system' } };

/** Errors that mean "the wiki is not answering right now", not "the wiki refused". */
export function isUnreachable(code: string): boolean {
  return code === 'network' || code === 'timeout' || code === 'maxlag' || code === 'readonly' || /^http-5\d\d$/.test(code);
}

export function anchorText(a: Anchor): string {
  const text = ipaddr.fromByteArray([...a.bytes]).toString();
  return isActorAnchor(a) ? text : `${text}/${a.prefix}`;
}

export function backoffMs(attempts: number, b: SyncBackoff = DEFAULT_SYNC_BACKOFF): number {
  return Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempts, 30));
}

export interface SyncRun {
  pushed: number;
  failed: number;
}

type BlockRow = Awaited<ReturnType<PrismaClient['block']['findMany']>>[number];

async function push(b: BlockRow, mw: MediaWikiSession, deps: BlockDeps): Promise<{ op: 'block' | 'reblock' | 'unblock' | 'none'; remoteId: number | null }> {
  if (b.endedAt) {
    if (b.endReason === 'unblocked' && b.remoteId !== null) {
      await mw.unblock({ id: b.remoteId, reason: `maskpatrol: unblocked by ${b.endedByName ?? 'an admin'}` });
      return { op: 'unblock', remoteId: b.remoteId };
    }
    return { op: 'none', remoteId: b.remoteId };
  }
  const anchor = b.anchorCt ? openAnchor(deps.keysDir, b.id, b.anchorCt) : null;
  if (b.targetType !== 'account' && !anchor) throw new MediaWikiError('anchor-unavailable');
  const id = await mw.block({
    target: anchor ? anchorText(anchor) : b.targetKey,
    expiry: b.expiresAt ? b.expiresAt.toISOString() : 'infinity',
    reason: b.reason,
    anonOnly: b.anonOnly,
    noCreate: b.noCreate,
    autoblock: b.autoblock,
    pages: b.partialPages,
    namespaces: b.partialNamespaces,
    reblock: b.remoteId !== null,
  });
  return { op: b.remoteId !== null ? 'reblock' : 'block', remoteId: id ?? b.remoteId };
}

/** The row update and its audit row, in one transaction (a block whose row changed meanwhile is left for the next run). */
class Changed extends Error {}

async function record(prisma: PrismaClient, b: BlockRow, data: Partial<BlockRow>, audit: { action: 'block.sync' | 'block.sync-failed'; after: object } | null): Promise<void> {
  const where = { id: b.id, updatedAt: b.updatedAt };
  if (!audit) {
    await prisma.block.updateMany({ where, data });
    return;
  }
  await executeVerb({ ...SYNC_CTX, db: prisma }, {
    action: audit.action,
    permission: 'block.manage',
    wiki: b.wiki,
    async run(tx) {
      // modified or unblocked while we pushed: nothing recorded, the block stays pending for the next run
      if ((await tx.block.updateMany({ where, data })).count !== 1) throw new Changed();
      return { result: null, audit: { targetType: 'block', targetId: b.id, wiki: b.wiki, after: { target: { type: b.targetType, label: b.targetLabel }, ...audit.after } } };
    },
  }).catch((err: unknown) => {
    if (!(err instanceof Changed)) throw err;
  });
}

export async function runBlockSync(prisma: PrismaClient, deps: BlockDeps): Promise<SyncRun> {
  const now = deps.now();
  const backoff = deps.syncBackoff ?? DEFAULT_SYNC_BACKOFF;
  const pending = await prisma.block.findMany({ where: { syncStatus: 'pending' }, orderBy: { updatedAt: 'asc' }, take: 200 });
  const due = pending.filter((b) => syncs(deps.wikis, b.wiki) && (b.syncAttempts === 0 || !b.syncedAt || now.getTime() - b.syncedAt.getTime() >= backoffMs(b.syncAttempts, backoff)));
  const run: SyncRun = { pushed: 0, failed: 0 };
  const sessions = new Map<string, Promise<MediaWikiSession>>();
  for (const b of due) {
    const wiki = deps.wikis.find((w) => w.wiki === b.wiki)!;
    try {
      let session = sessions.get(b.wiki);
      if (!session) {
        const s = new MediaWikiSession(wiki.api);
        session = s.login(wiki.botUser!, wiki.botPassword!).then(() => s);
        sessions.set(b.wiki, session);
      }
      const r = await push(b, await session, deps);
      await record(prisma, b, { syncStatus: 'done', syncError: null, syncedAt: now, remoteId: r.remoteId, syncAttempts: 0 }, { action: 'block.sync', after: { sync: { op: r.op, remoteId: r.remoteId, attempts: b.syncAttempts + 1 } } });
      // the block changed while it was pushed (so it stays pending): the wiki has it now, so the next push is a reblock
      if (r.remoteId !== null && b.remoteId === null) await prisma.block.updateMany({ where: { id: b.id, remoteId: null }, data: { remoteId: r.remoteId } });
      run.pushed++;
    } catch (err) {
      const code = err instanceof MediaWikiError ? err.code : 'internal';
      const attempts = b.syncAttempts + 1;
      const status = attempts >= MAX_ATTEMPTS && !isUnreachable(code) ? 'failed' : 'pending';
      const changed = code !== b.syncError || status === 'failed';
      await record(prisma, b, { syncStatus: status, syncError: code, syncedAt: now, syncAttempts: attempts }, changed ? { action: 'block.sync-failed', after: { sync: { status, error: code, attempts } } } : null).catch(
        (e: unknown) => log().warn({ block: b.id, err: { name: (e as Error).name } }, 'recording a failed block sync failed'),
      );
      log().warn({ block: b.id, wiki: b.wiki, code, attempts, status }, 'pushing a block to its wiki failed');
      run.failed++;
    }
  }
  return run;
}
