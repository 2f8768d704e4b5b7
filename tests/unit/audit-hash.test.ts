import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalRow, rowHash, stripSecrets, type AuditRowData } from '@/lib/audit/chain';

const row = (over: Partial<AuditRowData> = {}): AuditRowData => ({
  seq: 1n,
  createdAt: new Date('2026-11-26T12:00:00.000Z'),
  actorType: 'user',
  actorId: 'a',
  actorName: 'alice',
  action: 'role.grant',
  targetType: 'user',
  targetId: 'b',
  wiki: 'enwiki',
  reason: 'because',
  before: { roles: [] },
  after: { roles: [{ wiki: 'enwiki', role: 'admin' }] },
  request: { via: 'web' },
  prevHash: GENESIS_HASH,
  ...over,
});

describe('audit row hashing', () => {
  it('is canonical: key order in JSON fields does not change the hash', () => {
    const a = row({ after: { x: 1, y: { b: 2, a: 1 } } });
    const b = row({ after: { y: { a: 1, b: 2 }, x: 1 } });
    expect(canonicalRow(a)).toBe(canonicalRow(b));
    expect(rowHash(a)).toBe(rowHash(b));
  });

  it('changes when any field changes', () => {
    const base = rowHash(row());
    const variants: Partial<AuditRowData>[] = [
      { seq: 2n },
      { createdAt: new Date('2026-11-26T12:00:00.001Z') },
      { actorName: 'mallory' },
      { action: 'role.revoke' },
      { targetId: 'c' },
      { wiki: 'dewiki' },
      { reason: 'because!' },
      { before: null },
      { after: { roles: [] } },
      { request: { via: 'api' } },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(rowHash(row(v))).not.toBe(base);
  });

  it('strips secret-looking fields from snapshots', () => {
    expect(stripSecrets({ username: 'a', password: 'p', passwordHash: 'h', nested: { token: 't', ok: 1 }, list: [{ secret: 's', n: 2 }] })).toEqual({
      username: 'a',
      nested: { ok: 1 },
      list: [{ n: 2 }],
    });
  });
});
