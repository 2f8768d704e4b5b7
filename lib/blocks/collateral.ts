import { z } from 'zod';
import { authorize, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { fromZodIssues } from '../errors';
import { actorPseudonym, rangePseudonym, type PseudonymKey } from '../masking/pseudonym';
import { ZWiki } from '../services/schemas';
import { isActorAnchor, type Anchor } from './anchor';
import { resolveTarget, serverBlockDeps, ZBlockTarget, type BlockDeps } from './targets';

/**
 * The collateral of a block before it lands: edits, IP actors, temporary accounts and registered users seen in
 * the target (range or address) on the block's wiki over the last 30 days. Counts only, never an address. The
 * target's network is resolved on the server (as for the block itself) and re-keyed for every epoch of the
 * window. A length that is not stored is counted through its sub-ranges at the next narrower stored length
 * (at most 8,192 of them); beyond that the wider stored range's counts are an upper bound (`approximate`).
 */
export const COLLATERAL_DAYS = 30;
const MAX_SUBKEYS = 8192;

export const ZCollateralRequest = z.object({ target: ZBlockTarget, wiki: ZWiki });
export type TCollateralRequest = z.input<typeof ZCollateralRequest>;

export interface Collateral {
  days: number;
  edits: number;
  actors: number;
  tempAccounts: number;
  users: number;
  /** true: counted over a wider stored range (an upper bound) */
  approximate: boolean;
  /** epochs of the window whose key is destroyed (their edits cannot be matched) */
  epochsUncounted: number;
}

type Column = 'ipKey' | 'range16' | 'range24' | 'range32' | 'range48' | 'range64';
const STORED: Record<4 | 6, [number, Column][]> = {
  4: [[16, 'range16'], [24, 'range24'], [32, 'ipKey']],
  6: [[32, 'range32'], [48, 'range48'], [64, 'range64']],
};

/** Every sub-network of `a` at `/len` (len > a.prefix), as full-length byte buffers. */
function* subnets(a: Anchor, len: number): Generator<Buffer> {
  const bits = len - a.prefix;
  for (let i = 0; i < 2 ** bits; i++) {
    const b = Buffer.from(a.bytes);
    for (let k = 0; k < bits; k++) {
      const bit = a.prefix + k;
      if ((i >> (bits - 1 - k)) & 1) b[bit >> 3] = b[bit >> 3]! | (0x80 >> (bit & 7));
    }
    yield b;
  }
}

/** The (column, keys) that select the target's edits under one epoch key. */
export function matchKeys(key: PseudonymKey, a: Anchor): { column: Column; keys: string[]; approximate: boolean } {
  const ip = (bytes: Buffer) => ({ family: a.family, bytes, text: '' });
  if (isActorAnchor(a)) return { column: 'ipKey', keys: [actorPseudonym(key, ip(a.bytes)).key], approximate: false };
  const stored = STORED[a.family];
  const exact = stored.find(([p]) => p === a.prefix);
  if (exact) return { column: exact[1], keys: [rangePseudonym(key, ip(a.bytes), a.prefix).key], approximate: false };
  const narrower = stored.find(([p]) => p > a.prefix)!;
  if (2 ** (narrower[0] - a.prefix) <= MAX_SUBKEYS) {
    const keys: string[] = [];
    for (const b of subnets(a, narrower[0]))
      keys.push(narrower[1] === 'ipKey' ? actorPseudonym(key, ip(b)).key : rangePseudonym(key, ip(b), narrower[0]).key);
    return { column: narrower[1], keys, approximate: false };
  }
  const wider = [...stored].reverse().find(([p]) => p < a.prefix)!;
  return { column: wider[1], keys: [rangePseudonym(key, ip(a.bytes), wider[0]).key], approximate: true };
}

export async function collateralPreview(viewer: Actor, raw: TCollateralRequest, deps: BlockDeps = serverBlockDeps()): Promise<Collateral> {
  const p = ZCollateralRequest.safeParse(raw);
  if (!p.success) throw fromZodIssues(p.error.issues);
  const { target, wiki } = p.data;
  authorize(viewer, wiki === '*' ? 'block.global' : 'block.manage', wiki);
  const prisma = db();
  const t = await resolveTarget(prisma, deps, target);
  const since = new Date(deps.now().getTime() - COLLATERAL_DAYS * 86_400_000);
  const wikiSql = wiki === '*' ? Prisma.empty : Prisma.sql`AND wiki = ${wiki}`;
  let where: Prisma.Sql;
  let approximate = false;
  let epochsUncounted = 0;
  if (!t.anchor) where = Prisma.sql`"actorName" = ${t.targetKey} AND "actorKind" = 'temp'`;
  else {
    const epochs = await prisma.$queryRaw<{ epoch: string }[]>`SELECT DISTINCT epoch FROM edit WHERE ts >= ${since} ${wikiSql}`;
    const parts: Prisma.Sql[] = [];
    for (const { epoch } of epochs) {
      const key = deps.keys.epochKey(epoch);
      if (!key) {
        epochsUncounted++;
        continue;
      }
      const m = matchKeys(key, t.anchor);
      approximate ||= m.approximate;
      parts.push(Prisma.sql`(epoch = ${epoch} AND ${Prisma.raw(`"${m.column}"`)} = ANY(${m.keys}::text[]))`);
    }
    where = parts.length ? Prisma.join(parts, ' OR ') : Prisma.sql`false`;
  }
  const [r] = await prisma.$queryRaw<{ edits: bigint; actors: bigint; temps: bigint; users: bigint }[]>`
    SELECT count(*) AS edits,
      count(DISTINCT "ipKey") FILTER (WHERE "actorKind" = 'ip') AS actors,
      count(DISTINCT "actorName") FILTER (WHERE "actorKind" = 'temp') AS temps,
      count(DISTINCT "actorName") FILTER (WHERE "actorKind" = 'user') AS users
    FROM edit WHERE ts >= ${since} ${wikiSql} AND (${where})`;
  return {
    days: COLLATERAL_DAYS,
    edits: Number(r?.edits ?? 0),
    actors: Number(r?.actors ?? 0),
    tempAccounts: Number(r?.temps ?? 0),
    users: Number(r?.users ?? 0),
    approximate,
    epochsUncounted,
  };
}
