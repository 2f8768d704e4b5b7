import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { ForbiddenError } from '../errors';
import type { Block as RawBlock } from '../db/generated/client';

/**
 * The /blocks page and GET /api/blocks: active blocks and the block log (the block rows' history plus the
 * audit rows of the block verbs), for wikis where the viewer holds block.view. Labels and options only: the
 * anchor and the pseudonym key never leave the server through these.
 */
export interface BlockListRow {
  id: string;
  wiki: string;
  targetType: string;
  targetLabel: string;
  prefix: number | null;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  partialPages: string[];
  partialNamespaces: number[];
  anonOnly: boolean;
  noCreate: boolean;
  autoblock: boolean;
  origin: string;
  sync: { status: string; attempts: number; error: string | null; at: string | null };
  ended: { at: string; reason: string; by: string | null } | null;
  /** edits flagged as evading this block */
  evasions: number;
}

export interface BlockLogRow {
  seq: string;
  at: string;
  action: string;
  actor: string;
  blockId: string | null;
  wiki: string | null;
  reason: string | null;
  target: string | null;
}

const PAGE = 500;

function scope(viewer: Actor) {
  if (!canOnAnyWiki(viewer, 'block.view')) throw new ForbiddenError();
  const wikis = wikisWith(viewer, 'block.view');
  return wikis === '*' ? {} : { wiki: { in: [...wikis, '*'] } };
}

function toRow(b: Omit<RawBlock, 'anchorCt' | 'targetKey' | 'epoch'>, evasions: number): BlockListRow {
  return {
    id: b.id,
    wiki: b.wiki,
    targetType: b.targetType,
    targetLabel: b.targetLabel,
    prefix: b.prefix,
    reason: b.reason,
    expiresAt: b.expiresAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    createdBy: b.createdByName,
    partialPages: b.partialPages,
    partialNamespaces: b.partialNamespaces,
    anonOnly: b.anonOnly,
    noCreate: b.noCreate,
    autoblock: b.autoblock,
    origin: b.origin,
    sync: { status: b.syncStatus, attempts: b.syncAttempts, error: b.syncError, at: b.syncedAt?.toISOString() ?? null },
    ended: b.endedAt ? { at: b.endedAt.toISOString(), reason: b.endReason ?? 'ended', by: b.endedByName } : null,
    evasions,
  };
}

export async function listBlocks(viewer: Actor, opts: { ended?: boolean } = {}): Promise<BlockListRow[]> {
  const where = { ...scope(viewer), endedAt: opts.ended ? { not: null } : null };
  const rows = await db().block.findMany({ where, orderBy: { createdAt: 'desc' }, take: PAGE, omit: { anchorCt: true, targetKey: true, epoch: true } });
  const counts = rows.length
    ? await db().edit.groupBy({ by: ['evasionBlockId'], where: { evasionBlockId: { in: rows.map((r) => r.id) } }, _count: { _all: true } })
    : [];
  const evasions = new Map(counts.map((c) => [c.evasionBlockId, c._count._all]));
  return rows.map((b) => toRow(b, evasions.get(b.id) ?? 0));
}

/**
 * One block (/blocks/[id]): its row with the sync status, whether the wiki has it, and its own log (the audit rows
 * naming it). null when unknown or on a wiki the viewer may not view (no difference shown).
 */
export async function blockDetail(viewer: Actor, id: string): Promise<{ block: BlockListRow; remoteId: number | null; log: BlockLogRow[] } | null> {
  const s = scope(viewer);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return null;
  const b = await db().block.findFirst({ where: { id, ...s }, omit: { anchorCt: true, targetKey: true, epoch: true } });
  if (!b) return null;
  const evasions = await db().edit.count({ where: { evasionBlockId: b.id } });
  const rows = await db().auditEvent.findMany({ where: { targetType: 'block', targetId: b.id }, orderBy: { seq: 'desc' }, take: PAGE, select: LOG_SELECT });
  return { block: toRow(b, evasions), remoteId: b.remoteId, log: rows.map(logRow) };
}

/** The block log: the audit rows of the block verbs, newest first. */
export async function blockLog(viewer: Actor, limit = 200): Promise<BlockLogRow[]> {
  const s = scope(viewer);
  const rows = await db().auditEvent.findMany({
    where: { action: { startsWith: 'block.' }, ...('wiki' in s ? { wiki: s.wiki } : {}) },
    orderBy: { seq: 'desc' },
    take: Math.min(limit, PAGE),
    select: LOG_SELECT,
  });
  return rows.map(logRow);
}

const LOG_SELECT = { seq: true, createdAt: true, action: true, actorName: true, targetType: true, targetId: true, wiki: true, reason: true, after: true, before: true } as const;

function logRow(r: { seq: bigint; createdAt: Date; action: string; actorName: string; targetType: string | null; targetId: string | null; wiki: string | null; reason: string | null; after: unknown; before: unknown }): BlockLogRow {
  const view = (r.after ?? r.before) as { target?: { label?: string } } | null;
  return {
    seq: r.seq.toString(),
    at: r.createdAt.toISOString(),
    action: r.action,
    actor: r.actorName,
    blockId: r.targetType === 'block' ? r.targetId : null,
    wiki: r.wiki,
    reason: r.reason,
    target: view?.target?.label ?? (r.targetType === 'cluster' ? `cluster ${r.targetId ?? ''}` : null),
  };
}
