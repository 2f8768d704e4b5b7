import { db } from '../db/client';
import { authorize, type Actor } from '../auth/permissions';
import { verifyChain, type VerifyResult } from './chain';

export interface AuditRow {
  seq: string;
  createdAt: string;
  actorName: string;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  wiki: string | null;
  reason: string | null;
  after: unknown;
}

export async function listAudit(actor: Actor, limit = 200): Promise<AuditRow[]> {
  authorize(actor, 'audit.view', '*');
  const rows = await db().auditEvent.findMany({ orderBy: { seq: 'desc' }, take: Math.min(limit, 1000) });
  return rows.map((r) => ({
    seq: r.seq.toString(),
    createdAt: r.createdAt.toISOString(),
    actorName: r.actorName,
    actorType: r.actorType,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    wiki: r.wiki,
    reason: r.reason,
    after: r.after,
  }));
}

export type ChainStatus = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: string; problem: string };

export async function chainStatus(actor: Actor): Promise<ChainStatus> {
  authorize(actor, 'audit.verify', '*');
  return toStatus(await verifyChain(db()));
}

export function toStatus(r: VerifyResult): ChainStatus {
  return r.ok ? { ok: true, rows: r.rows } : { ok: false, rows: r.rows, brokenAt: r.brokenAt.toString(), problem: r.problem };
}
