import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Actor } from '../auth/permissions';
import type { Tx } from '../db/client';
import type { AuditAction } from './actions';
import { noteAuditAppended } from './checkpoint';

/**
 * The audit trail: append-only rows, each carrying the SHA-256 of the previous row's hash and its own
 * canonical serialisation (RFC 8785 JSON), so that any edited, deleted, inserted or reordered row breaks
 * the chain at a row the verifier names. Appends are serialised by a transaction-scoped advisory lock
 * and take seq = last + 1, so the chain never forks and a gap in seq is a deleted row.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const APPEND_LOCK_KEY = 734_602_101; // pg_advisory_xact_lock key for audit appends (and checkpoints)

export interface RequestMeta {
  /** where the verb came from */
  via: 'web' | 'api' | 'cli' | 'system';
  requestId?: string;
  /** truncated; never the client's IP */
  userAgent?: string;
}

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  targetType?: string;
  targetId?: string;
  wiki?: string;
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  request?: RequestMeta;
}

/** The fields that are hashed, in the form they are stored and read back. */
export interface AuditRowData {
  seq: bigint;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  wiki: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  request: unknown;
  prevHash: string;
}

const SECRET_KEY = /pass(word)?|secret|token|hash|totp|key|^ip$|rawip/i;

/** Remove secret-looking fields from before/after snapshots (recursively). */
export function stripSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSecrets);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) if (!SECRET_KEY.test(k)) out[k] = stripSecrets(val);
    return out;
  }
  return v instanceof Date ? v.toISOString() : v;
}

export function canonicalRow(r: AuditRowData): string {
  const s = canonicalize({
    seq: r.seq.toString(),
    createdAt: r.createdAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    wiki: r.wiki,
    reason: r.reason,
    before: r.before ?? null,
    after: r.after ?? null,
    request: r.request ?? null,
    prevHash: r.prevHash,
  });
  if (s === undefined) throw new Error('audit row could not be serialised');
  return s;
}

export function rowHash(r: AuditRowData): string {
  return createHash('sha256').update(canonicalRow(r)).digest('hex');
}

/**
 * Append one row inside the caller's transaction. Any failure throws, and the caller's transaction —
 * the action being audited — rolls back with it.
 */
export async function appendAudit(tx: Tx, e: AuditEntry): Promise<{ seq: bigint; hash: string }> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  const data: AuditRowData = {
    seq: (last?.seq ?? 0n) + 1n,
    createdAt: new Date(),
    actorType: e.actor.kind,
    actorId: e.actor.kind === 'user' ? e.actor.id : null,
    actorName: e.actor.kind === 'user' ? e.actor.username : e.actor.name,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    wiki: e.wiki ?? null,
    reason: e.reason ?? null,
    before: e.before === undefined ? null : stripSecrets(e.before),
    after: e.after === undefined ? null : stripSecrets(e.after),
    request: e.request === undefined ? null : stripSecrets(e.request),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  // round-trip through JSON so what we hash is exactly what jsonb gives back
  data.before = jsonRoundTrip(data.before);
  data.after = jsonRoundTrip(data.after);
  data.request = jsonRoundTrip(data.request);
  const hash = rowHash(data);
  await tx.auditEvent.create({
    data: {
      ...data,
      before: data.before === null ? undefined : (data.before as object),
      after: data.after === null ? undefined : (data.after as object),
      request: data.request === null ? undefined : (data.request as object),
      hash,
    },
  });
  // a checkpoint when due (every N rows, listed actions); it waits for this transaction to end
  noteAuditAppended(data.seq, data.action);
  return { seq: data.seq, hash };
}

function jsonRoundTrip(v: unknown): unknown {
  return v === null || v === undefined ? null : JSON.parse(JSON.stringify(v));
}

export type VerifyResult =
  | { ok: true; rows: number; lastSeq: bigint; lastHash: string }
  | { ok: false; rows: number; brokenAt: bigint; problem: string };

/**
 * The chain alone (no checkpoints): the first broken row. The full verification — checkpoints, file,
 * signatures — is lib/audit/verify-db.ts `verifyDatabase`.
 */
export async function verifyChain(prisma: Parameters<typeof import('./verify-db').dbSource>[0], batchSize = 1000): Promise<VerifyResult> {
  const { dbSource } = await import('./verify-db');
  const { verifyAudit } = await import('./verify');
  const src = { ...dbSource(prisma), checkpoints: async () => [] };
  const r = await verifyAudit(src, { publicKeys: new Map(), file: null, batchSize });
  const bad = r.firstBadRow;
  if (!bad) return { ok: true, rows: r.rows, lastSeq: r.head?.seq ?? 0n, lastHash: r.head?.hash ?? GENESIS_HASH };
  return { ok: false, rows: r.rows, brokenAt: bad.seq ?? 0n, problem: bad.message };
}
