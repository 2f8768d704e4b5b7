import ipaddr from 'ipaddr.js';
import type { PrismaClient } from '../db/generated/client';
import { log } from '../log';
import { openAnchor, isActorAnchor, type Anchor } from './anchor';
import { MediaWikiError, MediaWikiSession } from './mediawiki';
import type { BlockDeps } from './targets';
import { syncs } from './wikis';

/**
 * The outbound sync: after a block verb committed, blocks marked `pending` on a wiki configured for sync are
 * pushed to it (action=block, reblock when the wiki already has it; action=unblock for unblocked ones), logged in
 * with the wiki's bot password. A failure is retried with exponential backoff (5 s · 2^attempts) up to
 * MAX_ATTEMPTS, then the block shows `failed` on /blocks with the API's error code (never its message, which may
 * quote the target). The anchor is opened only here, to name the target to the wiki it came from.
 */
export const MAX_ATTEMPTS = 5;
const BASE_BACKOFF_MS = 5_000;

export function anchorText(a: Anchor): string {
  const text = ipaddr.fromByteArray([...a.bytes]).toString();
  return isActorAnchor(a) ? text : `${text}/${a.prefix}`;
}

export interface SyncRun {
  pushed: number;
  failed: number;
}

export async function runBlockSync(prisma: PrismaClient, deps: BlockDeps): Promise<SyncRun> {
  const now = deps.now();
  const pending = await prisma.block.findMany({ where: { syncStatus: 'pending' }, orderBy: { updatedAt: 'asc' }, take: 200 });
  const due = pending.filter((b) => syncs(deps.wikis, b.wiki) && (b.syncAttempts === 0 || !b.syncedAt || now.getTime() - b.syncedAt.getTime() >= BASE_BACKOFF_MS * 2 ** b.syncAttempts));
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
      const mw = await session;
      let remoteId = b.remoteId;
      if (b.endedAt) {
        if (b.endReason === 'unblocked' && remoteId !== null) await mw.unblock({ id: remoteId, reason: `maskpatrol: unblocked by ${b.endedByName ?? 'an admin'}` });
      } else {
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
          reblock: remoteId !== null,
        });
        remoteId = id ?? remoteId;
      }
      await prisma.block.update({ where: { id: b.id }, data: { syncStatus: 'done', syncError: null, syncedAt: now, remoteId, syncAttempts: 0 } });
      run.pushed++;
    } catch (err) {
      const code = err instanceof MediaWikiError ? err.code : 'internal';
      const attempts = b.syncAttempts + 1;
      await prisma.block.update({
        where: { id: b.id },
        data: { syncStatus: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', syncError: code, syncedAt: now, syncAttempts: attempts },
      });
      log().warn({ block: b.id, wiki: b.wiki, code, attempts }, 'pushing a block to its wiki failed');
      run.failed++;
    }
  }
  return run;
}
