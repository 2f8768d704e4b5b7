import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import { anchorOf, anchorPseudonym, destroyAnchorKey, sealAnchor, type Anchor } from '../blocks/anchor';
import { afterBlockChange } from '../blocks/after-change';
import { MediaWikiSession, type WikiBlock } from '../blocks/mediawiki';
import { serverBlockDeps, type BlockDeps } from '../blocks/targets';
import type { WikiBlockConfig } from '../blocks/wikis';
import { MAX_PREFIX, tryCanonicalIp } from '../masking/ip';
import { executeVerb, type ServiceContext } from './verb';

/**
 * block.import: bring a wiki's existing blocks in on day one (Action API list=blocks), so enforcement starts
 * complete. IP and range targets are masked at import: the address or network becomes the block's anchor (sealed
 * under a key of its own) and a pseudonym label; the wiki's text of the target is dropped. Accounts are blocked by
 * name. Blocks already imported (same wiki block id) are skipped; ranges outside the CIDR limits (or IPv6 ranges
 * narrower than /64) are skipped and counted. One audit row for the whole import, counts and labels only.
 */
export interface ImportResult {
  wiki: string;
  fetched: number;
  imported: number;
  existing: number;
  unsupported: number;
}

type Target = { type: 'actor' | 'range'; anchor: Anchor } | { type: 'account'; name: string } | null;

/** The wiki's target text as a block target (IPs never leave this function except inside the anchor). */
export function wikiTarget(user: string, deps: BlockDeps): Target {
  const slash = user.lastIndexOf('/');
  const ip = tryCanonicalIp(slash > 0 ? user.slice(0, slash) : user);
  if (!ip) return user.trim() ? { type: 'account', name: user.trim() } : null;
  const full = ip.family === 4 ? 32 : 128;
  const prefix = slash > 0 ? Number(user.slice(slash + 1)) : full;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > full) return null;
  if (prefix === full) return { type: 'actor', anchor: anchorOf(ip, full) };
  const min = ip.family === 4 ? deps.limits.v4 : deps.limits.v6;
  if (prefix < min || prefix > MAX_PREFIX[ip.family]) return null;
  return { type: 'range', anchor: anchorOf(ip, prefix) };
}

function expiryOf(b: WikiBlock): Date | null {
  if (!b.expiry || /^(infinity|infinite|indefinite|never)$/i.test(b.expiry)) return null;
  const d = new Date(b.expiry);
  return Number.isNaN(d.getTime()) ? null : d;
}

function restrictions(b: WikiBlock): { pages: string[]; namespaces: number[] } {
  const r = b.restrictions;
  if (!b.partial || !r || Array.isArray(r)) return { pages: [], namespaces: [] };
  return { pages: (r.pages ?? []).map((p) => p.title).filter(Boolean).slice(0, 10), namespaces: (r.namespaces ?? []).filter(Number.isInteger).slice(0, 10) };
}

export async function importWikiBlocks(ctx: ServiceContext, wiki: WikiBlockConfig, deps: BlockDeps = serverBlockDeps()): Promise<ImportResult> {
  const list = await new MediaWikiSession(wiki.api).listBlocks();
  const prisma = ctx.db ?? db();
  const known = new Set(
    (await prisma.block.findMany({ where: { wiki: wiki.wiki, remoteId: { not: null } }, select: { remoteId: true } })).map((b) => b.remoteId),
  );
  const now = deps.now();
  const fresh = list.filter((b) => !known.has(b.id) && (expiryOf(b) ?? new Date(8.64e15)) > now);
  const created: string[] = [];
  try {
    return await executeVerb(ctx, {
      action: 'block.import',
      permission: 'block.manage',
      wiki: wiki.wiki,
      async run(tx) {
        const epoch = deps.keys.currentEpoch();
        let imported = 0;
        let unsupported = 0;
        for (const b of fresh) {
          const t = wikiTarget(b.user, deps);
          if (!t) {
            unsupported++;
            continue;
          }
          const id = randomUUID();
          const anchorCt = t.type === 'account' ? null : sealAnchor(deps.keysDir, id, t.anchor);
          if (anchorCt) created.push(id);
          const p = t.type === 'account' ? null : anchorPseudonym(epoch.key, t.anchor);
          const r = restrictions(b);
          await tx.block.create({
            data: {
              id,
              wiki: wiki.wiki,
              targetType: t.type,
              targetLabel: p ? p.display : (t as { name: string }).name,
              targetKey: p ? p.key : (t as { name: string }).name,
              epoch: p ? epoch.id : null,
              family: t.type === 'account' ? null : t.anchor.family,
              prefix: t.type === 'range' ? t.anchor.prefix : null,
              anchorCt: anchorCt ? new Uint8Array(anchorCt) : null,
              expiresAt: expiryOf(b),
              reason: (b.reason || 'imported block').slice(0, 500),
              partialPages: r.pages,
              partialNamespaces: r.namespaces,
              anonOnly: !!b.anononly,
              noCreate: !!b.nocreate,
              autoblock: !!b.autoblock,
              origin: 'import',
              remoteId: b.id,
              createdById: null,
              createdByName: `${String(b.by ?? 'unknown').slice(0, 200)} (${wiki.wiki})`,
              syncStatus: 'done',
            },
          });
          imported++;
        }
        const result: ImportResult = { wiki: wiki.wiki, fetched: list.length, imported, existing: list.length - fresh.length, unsupported };
        return { result, audit: { targetType: 'wiki', targetId: wiki.wiki, wiki: wiki.wiki, reason: 'import of existing wiki blocks', after: { ...result } } };
      },
      afterCommit: () => afterBlockChange(prisma),
    });
  } catch (err) {
    for (const id of created) destroyAnchorKey(deps.keysDir, id);
    throw err;
  }
}
