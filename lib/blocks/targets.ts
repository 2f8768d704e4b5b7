import { z } from 'zod';
import type { PrismaClient } from '../db/generated/client';
import type { Tx } from '../db/client';
import { loadConfig } from '../config';
import { NotFoundError, ValidationError } from '../errors';
import { KeyRing } from '../masking/keyring';
import { cidrLimitsFromConfig } from '../masking/mask';
import { MAX_PREFIX, tryCanonicalIp, type CidrLimits, type IpFamily } from '../masking/ip';
import { decryptRow, VaultShreddedError } from '../masking/vault';
import { VaultDecryptError } from '../masking/vault-crypto';
import { anchorOf, anchorPseudonym, type Anchor } from './anchor';
import { loadBlockWikis, loadSyncTiming, type SyncBackoff, type WikiBlockConfig } from './wikis';

/**
 * What an admin may block, and how the server turns it into a block target. The client names pseudonyms only
 * (an actor key, a range key of an actor or cluster, a temporary account's name) and a prefix length; the server
 * finds the newest edit behind the pseudonym, decrypts its vault record, and keeps the network as the block's
 * anchor. The admin never sees the address.
 */
const ZHexKey = z.string().regex(/^[0-9a-f]{64}$/, 'must be a pseudonym key');

export const ZBlockTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('actor'), actorKey: ZHexKey }),
  /** `from`: an actor key, or a range key at a stored length; `prefix` ≤ that range's own length */
  z.object({ type: z.literal('range'), from: ZHexKey, prefix: z.number().int().min(0).max(128) }),
  z.object({ type: z.literal('account'), name: z.string().trim().min(1, 'is required').max(255, 'is too long') }),
]);
export type TBlockTarget = z.input<typeof ZBlockTarget>;

export interface BlockDeps {
  keys: KeyRing;
  keysDir: string;
  limits: CidrLimits;
  now: () => Date;
  /** wikis blocks are imported from / pushed to (lib/blocks/wikis.ts) */
  wikis: WikiBlockConfig[];
  /** the sync's retry backoff (default 5 s · 2^attempts, at most 5 min) */
  syncBackoff?: SyncBackoff;
}

const g = globalThis as unknown as { __maskpatrolBlockDeps?: BlockDeps };
/** The server's deps (key store from the configuration); tests pass their own. */
export function serverBlockDeps(): BlockDeps {
  const dir = loadConfig().keysDir;
  if (g.__maskpatrolBlockDeps?.keysDir !== dir)
    g.__maskpatrolBlockDeps = { keys: new KeyRing(dir), keysDir: dir, limits: cidrLimitsFromConfig(), now: () => new Date(), wikis: loadBlockWikis(), syncBackoff: loadSyncTiming() };
  return g.__maskpatrolBlockDeps;
}

export interface ResolvedTarget {
  targetType: 'actor' | 'range' | 'account';
  targetKey: string;
  targetLabel: string;
  epoch: string | null;
  anchor: Anchor | null;
  /** wikis the pseudonym was seen on (an admin needs block.manage on the block's wiki, whatever these are) */
  seenOn: string[];
}

const RANGE_COLS = [
  ['range16', 4, 16],
  ['range24', 4, 24],
  ['range32', 6, 32],
  ['range48', 6, 48],
  ['range64', 6, 64],
] as const;

/** Refuse prefixes outside the configured limits with a message that says what is allowed. */
export function checkPrefix(family: IpFamily, prefix: number, limits: CidrLimits): void {
  const min = family === 4 ? limits.v4 : limits.v6;
  const max = MAX_PREFIX[family];
  if (prefix < min)
    throw new ValidationError(
      `prefix: IPv${family} range blocks may be at most /${min} wide (MediaWiki's CIDR limit); /${prefix} is wider than that`,
      { prefix: `wider than /${min}` },
    );
  if (prefix > max) throw new ValidationError(`prefix: IPv${family} range blocks go down to /${max}`, { prefix: `narrower than /${max}` });
}

type EditWithVault = { vaultId: string | null; ipFamily: number | null; wiki: string };

/** The newest edit behind an actor or range key that has an address in the vault, and the key's own length. */
async function newestEdit(tx: Tx | PrismaClient, key: string): Promise<{ edit: EditWithVault; ownPrefix: number | null } | null> {
  const select = { vaultId: true, ipFamily: true, wiki: true } as const;
  const byActor = await tx.edit.findFirst({ where: { ipKey: key, vaultId: { not: null } }, orderBy: { ts: 'desc' }, select });
  if (byActor) return { edit: byActor, ownPrefix: null };
  for (const [col, , prefix] of RANGE_COLS) {
    const e = await tx.edit.findFirst({ where: { [col]: key, vaultId: { not: null } }, orderBy: { ts: 'desc' }, select });
    if (e) return { edit: e, ownPrefix: prefix };
  }
  return null;
}

async function addressOf(tx: Tx | PrismaClient, deps: BlockDeps, vaultId: string) {
  const row = await tx.vaultRecord.findUnique({ where: { id: vaultId } });
  if (!row) throw new ValidationError('target: the address behind this pseudonym is no longer kept; block from a more recent edit', { target: 'address expired' });
  try {
    const ip = tryCanonicalIp(decryptRow(deps.keys, row).ip);
    if (!ip) throw new VaultDecryptError();
    return ip;
  } catch (err) {
    if (err instanceof VaultShreddedError || err instanceof VaultDecryptError)
      throw new ValidationError('target: the address behind this pseudonym has expired from the vault; block from a more recent edit', { target: 'address expired' });
    throw err;
  }
}

/** Resolve a target inside the verb's transaction (the vault read happens under the audited action). */
export async function resolveTarget(tx: Tx | PrismaClient, deps: BlockDeps, t: z.output<typeof ZBlockTarget>): Promise<ResolvedTarget> {
  if (t.type === 'account') {
    const seen = await tx.edit.findMany({ where: { actorName: t.name, actorKind: 'temp' }, select: { wiki: true }, distinct: ['wiki'], take: 50 });
    if (!seen.length) throw new NotFoundError('No temporary account of that name has edited here.');
    return { targetType: 'account', targetKey: t.name, targetLabel: t.name, epoch: null, anchor: null, seenOn: seen.map((s) => s.wiki) };
  }
  const key = t.type === 'actor' ? t.actorKey : t.from;
  const found = await newestEdit(tx, key);
  if (!found) throw new NotFoundError('No edit with an address is known for that pseudonym.');
  if (t.type === 'actor' && found.ownPrefix !== null) throw new ValidationError('target: that key is a range; block it as a range', { target: 'not an actor' });
  const ip = await addressOf(tx, deps, found.edit.vaultId!);
  let anchor: Anchor;
  if (t.type === 'actor') anchor = anchorOf(ip, ip.family === 4 ? 32 : 128);
  else {
    checkPrefix(ip.family, t.prefix, deps.limits);
    if (found.ownPrefix !== null && t.prefix > found.ownPrefix)
      throw new ValidationError(`prefix: choose /${found.ownPrefix} or wider for this range`, { prefix: 'narrower than the chosen range' });
    anchor = anchorOf(ip, t.prefix);
  }
  const epoch = deps.keys.currentEpoch();
  const p = anchorPseudonym(epoch.key, anchor);
  return { targetType: t.type, targetKey: p.key, targetLabel: p.display, epoch: epoch.id, anchor, seenOn: [found.edit.wiki] };
}
