import { clusterLabel } from '../clusters/queries';
import type { Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { rangeDisplay } from '../edits/queries';
import { HEX_KEY, wikiClause, type Wikis } from '../entities/common';
import { findIps } from '../masking/text';
import { RANGE_LENGTHS } from '../ranges/lengths';
import { BULK_LIMIT } from './config';
import { refuse } from './refusals';

/**
 * What a reveal is of: one actor (its newest stored address), or every address behind a range pseudonym or a
 * cluster (bulk: needs an approved request). Resolved inside the reveal's transaction, on the holder's wikis.
 */
export type TargetType = 'actor' | 'range' | 'cluster';
export const TARGET_TYPES: readonly TargetType[] = ['actor', 'range', 'cluster'];

export interface TargetRef {
  type: TargetType;
  key: string;
}

/** One address to read from the vault: the newest edit of one address pseudonym. */
export interface VaultRef {
  vaultId: string;
  /** the actor's display pseudonym (IP-XXXX-XXXX) or account name */
  display: string;
  wiki: string;
  ts: Date;
}

export interface ResolvedTarget {
  label: string;
  wikis: string[];
  refs: VaultRef[];
}

const CLUSTER_ID = /^[0-9A-Za-z-]{1,64}$/;

export function parseTarget(raw: unknown): TargetRef | null {
  if (!raw || typeof raw !== 'object') return null;
  const { type, key } = raw as { type?: unknown; key?: unknown };
  if (typeof type !== 'string' || !(TARGET_TYPES as readonly string[]).includes(type)) return null;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) return null;
  // keys are pseudonyms, account names or cluster ids; one spelling an address is refused (it would reach the audit row)
  if (findIps(key).length) return null;
  if (type === 'range' && !HEX_KEY.test(key)) return null;
  if (type === 'cluster' && !CLUSTER_ID.test(key)) return null;
  return { type: type as TargetType, key };
}

interface Row {
  vaultId: string;
  actorName: string;
  wiki: string;
  ts: Date;
}

/** A cheap label for a target without reading addresses (requests, refusals). */
export async function targetLabel(tx: Tx, t: TargetRef): Promise<string> {
  if (t.type === 'cluster') return clusterLabel(t.key);
  if (t.type === 'actor') {
    const [r] = await tx.$queryRaw<{ actorName: string }[]>`
      SELECT "actorName" FROM edit WHERE ${actorWhere(t.key)} ORDER BY ts DESC LIMIT 1`;
    return r?.actorName ?? '(unknown actor)';
  }
  const col = await rangeColumn(tx, t.key);
  return col ? rangeDisplay(col.family, col.prefix, t.key) : `range ${t.key.slice(0, 8)}`;
}

function actorWhere(key: string): Prisma.Sql {
  return HEX_KEY.test(key)
    ? Prisma.sql`(("ipKey" = ${key} AND "actorKind" = 'ip') OR ("actorName" = ${key} AND "actorKind" <> 'ip'))`
    : Prisma.sql`"actorName" = ${key} AND "actorKind" <> 'ip'`;
}

async function rangeColumn(tx: Tx, key: string) {
  for (const r of RANGE_LENGTHS) {
    const [hit] = await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM edit WHERE ${Prisma.raw(`"${r.column}"`)} = ${key} LIMIT 1`;
    if (hit) return r;
  }
  return null;
}

export async function resolveTarget(tx: Tx, t: TargetRef, wikis: Wikis): Promise<ResolvedTarget> {
  const onWikis = wikiClause(wikis);
  let rows: Row[];
  let label: string;
  if (t.type === 'actor') {
    rows = await tx.$queryRaw<Row[]>`
      SELECT "vaultId"::text AS "vaultId", "actorName", wiki, ts FROM edit
      WHERE ${actorWhere(t.key)} AND "vaultId" IS NOT NULL AND ${onWikis}
      ORDER BY ts DESC, id DESC LIMIT 1`;
    label = rows[0]?.actorName ?? '';
  } else {
    let where: Prisma.Sql;
    if (t.type === 'range') {
      const col = await rangeColumn(tx, t.key);
      if (!col) return refuse('target_not_found');
      where = Prisma.sql`${Prisma.raw(`"${col.column}"`)} = ${t.key}`;
      label = rangeDisplay(col.family, col.prefix, t.key);
    } else {
      where = Prisma.sql`"clusterId" = ${t.key}`;
      label = clusterLabel(t.key);
    }
    // newest edit per address pseudonym (one vault read per address, not per edit)
    rows = await tx.$queryRaw<Row[]>`
      SELECT "vaultId", "actorName", wiki, ts FROM (
        SELECT DISTINCT ON ("ipKey") "vaultId"::text AS "vaultId", "actorName", wiki, ts
        FROM edit WHERE ${where} AND "ipKey" IS NOT NULL AND "vaultId" IS NOT NULL AND ${onWikis}
        ORDER BY "ipKey", ts DESC, id DESC
      ) newest ORDER BY ts DESC LIMIT ${BULK_LIMIT}`;
  }
  if (!rows.length) return refuse('target_not_found');
  return {
    label,
    wikis: [...new Set(rows.map((r) => r.wiki))].sort(),
    refs: rows.map((r) => ({ vaultId: r.vaultId, display: r.actorName, wiki: r.wiki, ts: new Date(r.ts) })),
  };
}
