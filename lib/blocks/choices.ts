import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { rangeDisplay } from '../edits/queries';
import { ForbiddenError } from '../errors';
import { cidrLimitsFromConfig } from '../masking/mask';
import { MAX_PREFIX, type CidrLimits } from '../masking/ip';

/**
 * What the block dialog offers on an actor's or a cluster's page: the actor itself (IP editors), its or the
 * cluster's temporary accounts, and the ranges they edited from as pseudonyms (a /24 or a /64 and the wider
 * stored ones) with the prefix lengths an admin may choose for each (the CIDR limit down to the range's own
 * length). Labels and keys only: never a network.
 */
export interface RangeChoice {
  /** the range key at its stored length: the `from` of a range block */
  from: string;
  label: string;
  family: 4 | 6;
  prefix: number;
  /** prefix lengths allowed for a block from this range, widest first */
  prefixes: number[];
  edits: number;
}

export interface BlockChoices {
  wikis: string[] | '*';
  global: boolean;
  actor: { key: string; label: string } | null;
  accounts: string[];
  ranges: RangeChoice[];
}

const RANGE_COLS = [
  ['range24', 4, 24],
  ['range16', 4, 16],
  ['range64', 6, 64],
  ['range48', 6, 48],
  ['range32', 6, 32],
] as const;

function prefixesFor(family: 4 | 6, own: number, limits: CidrLimits): number[] {
  const min = family === 4 ? limits.v4 : limits.v6;
  const out: number[] = [];
  for (let p = Math.min(own, MAX_PREFIX[family]); p >= min; p--) out.push(p);
  return out;
}

/** The choices for an actor (`{ actorKey }`: pseudonym key or temporary-account name) or a cluster (`{ clusterId }`). */
export async function blockChoices(
  viewer: Actor,
  of: { actorKey: string } | { clusterId: string },
  limits: CidrLimits = cidrLimitsFromConfig(),
): Promise<BlockChoices> {
  if (!canOnAnyWiki(viewer, 'block.manage')) throw new ForbiddenError();
  const where =
    'clusterId' in of
      ? { clusterId: of.clusterId }
      : /^[0-9a-f]{64}$/.test(of.actorKey)
        ? { ipKey: of.actorKey }
        : { actorName: of.actorKey, actorKind: 'temp' };
  const edits = await db().edit.findMany({
    where,
    orderBy: { ts: 'desc' },
    take: 2000,
    select: { actorKind: true, actorName: true, ipKey: true, ipFamily: true, range16: true, range24: true, range32: true, range48: true, range64: true },
  });
  const ranges = new Map<string, RangeChoice>();
  const accounts = new Set<string>();
  let actor: BlockChoices['actor'] = null;
  for (const e of edits) {
    if (e.actorKind === 'temp') accounts.add(e.actorName);
    if (!('clusterId' in of) && e.actorKind === 'ip' && e.ipKey) actor ??= { key: e.ipKey, label: e.actorName };
    for (const [col, family, prefix] of RANGE_COLS) {
      const key = e[col];
      if (!key) continue;
      const r = ranges.get(key);
      if (r) r.edits++;
      else ranges.set(key, { from: key, label: rangeDisplay(family, prefix, key), family, prefix, prefixes: prefixesFor(family, prefix, limits), edits: 1 });
    }
  }
  return {
    wikis: wikisWith(viewer, 'block.manage'),
    global: canOnAnyWiki(viewer, 'block.global'),
    actor,
    accounts: [...accounts].slice(0, 200),
    // narrowest first (a /24 before its /16): the usual choice on top
    ranges: [...ranges.values()].sort((a, b) => b.prefix - a.prefix || b.edits - a.edits).slice(0, 50),
  };
}
