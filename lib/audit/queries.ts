import { db } from '../db/client';
import { authorize, type Actor } from '../auth/permissions';
import { loadConfig } from '../config';
import { summarize, type VerificationSummary } from './summary';
import { readPublicKey } from './signing';
import { verifyDatabase } from './verify-db';

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

export type ChainStatus =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: string; problem: string; problems: VerificationSummary['problems'] };

/** A live verification (chain, checkpoints, file), not recorded. */
export async function chainStatus(actor: Actor): Promise<ChainStatus> {
  authorize(actor, 'audit.verify', '*');
  const s = summarize(await verifyDatabase(db()));
  if (s.ok) return { ok: true, rows: s.rows };
  const first = s.problems[0]!;
  return { ok: false, rows: s.rows, brokenAt: first.seq ?? '—', problem: first.message, problems: s.problems };
}

export interface LastVerification extends VerificationSummary {
  at: string;
  by: string;
  seq: string;
}

/** The last recorded verification (the newest 'audit.verify' row), or null. */
export async function lastVerification(actor: Actor): Promise<LastVerification | null> {
  authorize(actor, 'audit.view', '*');
  const r = await db().auditEvent.findFirst({ where: { action: 'audit.verify' }, orderBy: { seq: 'desc' } });
  if (!r || !r.after || typeof r.after !== 'object') return null;
  return { ...(r.after as unknown as VerificationSummary), at: r.createdAt.toISOString(), by: r.actorName, seq: r.seq.toString() };
}

export interface CheckpointView {
  seq: string;
  createdAt: string;
  keyId: string;
}

export interface CheckpointOverview {
  latest: CheckpointView[];
  headSeq: string | null;
  /** rows after the newest checkpoint: the window a deletion of the tail would go unnoticed in */
  uncovered: string;
  config: { rows: number; minutes: number; actions: string[]; witness: boolean };
  publicKeyPem: string | null;
}

export async function checkpointOverview(actor: Actor, limit = 10): Promise<CheckpointOverview> {
  authorize(actor, 'audit.view', '*');
  const config = loadConfig();
  const [latest, head] = await Promise.all([
    db().auditCheckpoint.findMany({ orderBy: { seq: 'desc' }, take: limit }),
    db().auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }),
  ]);
  const pub = readPublicKey(config.keysDir);
  return {
    latest: latest.map((c) => ({ seq: c.seq.toString(), createdAt: c.createdAt.toISOString(), keyId: c.keyId })),
    headSeq: head?.seq.toString() ?? null,
    uncovered: ((head?.seq ?? 0n) - (latest[0]?.seq ?? 0n)).toString(),
    config: {
      rows: config.audit.checkpointRows,
      minutes: config.audit.checkpointMinutes,
      actions: config.audit.checkpointActions,
      witness: !!config.audit.witnessUrl,
    },
    publicKeyPem: pub ? pub.export({ type: 'spki', format: 'pem' }).toString() : null,
  };
}
