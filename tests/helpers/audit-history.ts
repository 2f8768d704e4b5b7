import fc from 'fast-check';
import { GENESIS_HASH, rowHash, stripSecrets, type AuditRowData } from '@/lib/audit/chain';
import type { CheckpointFile, FileRecord } from '@/lib/audit/checkpoint-file';
import { signCheckpoint, type Checkpoint, type SigningKey } from '@/lib/audit/signing';
import type { StoredRow } from '@/lib/audit/verify';

/**
 * In-memory audit histories built with the same canonicalisation and hashing as appendAudit, for the
 * property-based verifier tests, and the attacks on them (as someone with full write access to the
 * database, but not to the key store or the checkpoint file, would make them).
 */
export interface Entry {
  actorName: string;
  action: string;
  reason: string | null;
  after: Record<string, unknown> | null;
}

export const entryArb: fc.Arbitrary<Entry> = fc.record({
  actorName: fc.constantFrom('alice', 'bob', 'carol', 'system:cli'),
  action: fc.constantFrom('user.create', 'role.grant', 'ip.reveal', 'edit.review', 'audit.verify'),
  reason: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
  after: fc.option(fc.dictionary(fc.constantFrom('role', 'wiki', 'n', 'list'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: null }),
});

const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);

export function hashRow(r: AuditRowData): StoredRow {
  return { ...r, hash: rowHash(r) };
}

/** Rows as appendAudit would have written them: seq 1.., each linked to the previous hash. */
export function buildRows(entries: Entry[]): StoredRow[] {
  const rows: StoredRow[] = [];
  entries.forEach((e, i) => {
    const data: AuditRowData = {
      seq: BigInt(i + 1),
      createdAt: new Date(T0 + i * 1000),
      actorType: e.actorName.startsWith('system:') ? 'system' : 'user',
      actorId: e.actorName.startsWith('system:') ? null : `id-${e.actorName}`,
      actorName: e.actorName,
      action: e.action,
      targetType: null,
      targetId: null,
      wiki: null,
      reason: e.reason,
      before: null,
      after: e.after === null ? null : JSON.parse(JSON.stringify(stripSecrets(e.after))),
      request: { via: 'web' },
      prevHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    };
    rows.push(hashRow(data));
  });
  return rows;
}

export function checkpointsAt(rows: StoredRow[], seqs: bigint[], key: SigningKey): Checkpoint[] {
  return [...new Set(seqs)]
    .sort((a, b) => (a < b ? -1 : 1))
    .map((s) => signCheckpoint(key, rows[Number(s) - 1]!, new Date(T0 + Number(s) * 1000 + 500)));
}

export function fileOf(cps: Checkpoint[]): CheckpointFile {
  return { exists: true, records: cps.map((c, i): FileRecord => ({ ...c, line: i + 1 })), bad: [] };
}

/** Re-link and re-hash every row from index `from` on (what an attacker does to hide a change). */
export function rehashFrom(rows: StoredRow[], from: number): StoredRow[] {
  const out = rows.slice(0, from);
  for (let i = from; i < rows.length; i++) {
    const r = rows[i]!;
    out.push(hashRow({ ...r, prevHash: out.at(-1)?.hash ?? GENESIS_HASH }));
  }
  return out;
}

/** Give rows[from..] the seqs from+1.. (after a deletion or insertion), without re-hashing. */
export function renumberFrom(rows: StoredRow[], from: number): StoredRow[] {
  return rows.map((r, i) => (i >= from ? { ...r, seq: BigInt(i + 1) } : r));
}

export type Modification = 'reason' | 'actorName' | 'after' | 'createdAt' | 'action' | 'prevHash' | 'hash';
export const modificationArb = fc.constantFrom<Modification>('reason', 'actorName', 'after', 'createdAt', 'action', 'prevHash', 'hash');

/** One field of one row changed (always to a different value). */
export function modify(r: StoredRow, m: Modification): StoredRow {
  switch (m) {
    case 'reason':
      return { ...r, reason: `${r.reason ?? ''}!` };
    case 'actorName':
      return { ...r, actorName: `${r.actorName}x` };
    case 'after':
      return { ...r, after: { ...((r.after as object | null) ?? {}), tampered: true } };
    case 'createdAt':
      return { ...r, createdAt: new Date(r.createdAt.getTime() + 1) };
    case 'action':
      return { ...r, action: r.action === 'role.revoke' ? 'role.grant' : 'role.revoke' };
    case 'prevHash':
      return { ...r, prevHash: r.prevHash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    case 'hash':
      return { ...r, hash: r.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
  }
}
