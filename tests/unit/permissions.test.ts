import { describe, expect, it } from 'vitest';
import { authorize, can, canOnAnyWiki, landingPath, rankOn, wikisWith, type Actor } from '@/lib/auth/permissions';
import { ForbiddenError } from '@/lib/errors';

const user = (...roles: [string, string][]): Actor => ({
  kind: 'user',
  id: 'u',
  username: 'u',
  roles: roles.map(([role, wiki]) => ({ role: role as never, wiki })),
});

describe('permissions', () => {
  it('a per-wiki role applies to its wiki only', () => {
    const enAdmin = user(['admin', 'enwiki']);
    expect(can(enAdmin, 'block.manage', 'enwiki')).toBe(true);
    expect(can(enAdmin, 'block.manage', 'dewiki')).toBe(false);
    expect(can(enAdmin, 'block.manage', '*')).toBe(false);
    expect(can(enAdmin, 'block.manage', null)).toBe(false);
    expect(canOnAnyWiki(enAdmin, 'block.manage')).toBe(true);
    expect(wikisWith(enAdmin, 'block.manage')).toEqual(['enwiki']);
  });

  it('a global role applies everywhere', () => {
    const admin = user(['admin', '*']);
    expect(can(admin, 'block.manage', 'dewiki')).toBe(true);
    expect(can(admin, 'block.manage', '*')).toBe(true);
    expect(wikisWith(admin, 'queue.view')).toBe('*');
  });

  it('patrollers cannot block, reveal or manage roles; stewards manage but do not reveal', () => {
    const p = user(['patroller', '*']);
    for (const perm of ['block.manage', 'ip.reveal', 'role.manage', 'user.manage', 'audit.view'] as const) expect(can(p, perm, 'enwiki')).toBe(false);
    expect(can(p, 'queue.view', 'enwiki')).toBe(true);
    const s = user(['steward', '*']);
    expect(can(s, 'role.manage', '*')).toBe(true);
    expect(can(s, 'audit.verify', '*')).toBe(true);
    expect(can(s, 'ip.reveal', 'enwiki')).toBe(false);
    expect(can(user(['checkuser', 'enwiki']), 'ip.reveal', 'enwiki')).toBe(true);
  });

  it('exact actor counts on range pages: admin and above, per wiki; patrollers see buckets', () => {
    expect(can(user(['patroller', '*']), 'range.exactCounts', 'enwiki')).toBe(false);
    expect(can(user(['admin', 'enwiki']), 'range.exactCounts', 'enwiki')).toBe(true);
    expect(can(user(['admin', 'enwiki']), 'range.exactCounts', 'dewiki')).toBe(false);
    expect(can(user(['checkuser', '*']), 'range.exactCounts', 'dewiki')).toBe(true);
    expect(can(user(['steward', '*']), 'range.exactCounts', 'dewiki')).toBe(true);
  });

  it('authorize throws a 403 ForbiddenError; nobody signed in can do nothing', () => {
    expect(() => authorize(user(['patroller', '*']), 'role.manage', '*')).toThrow(ForbiddenError);
    expect(can(null, 'queue.view', 'enwiki')).toBe(false);
    try {
      authorize(user(), 'queue.view', 'enwiki');
    } catch (e) {
      expect((e as ForbiddenError).status).toBe(403);
    }
  });

  it('ranks and landing pages follow the highest role', () => {
    expect(rankOn(user(['patroller', '*'], ['admin', 'enwiki']), 'enwiki')).toBe(2);
    expect(rankOn(user(['patroller', '*'], ['admin', 'enwiki']), 'dewiki')).toBe(1);
    expect(landingPath(user(['patroller', '*']))).toBe('/queue');
    expect(landingPath(user(['admin', 'enwiki']))).toBe('/blocks');
    expect(landingPath(user(['checkuser', '*'], ['patroller', '*']))).toBe('/checkuser');
    expect(landingPath(user(['steward', '*']))).toBe('/steward');
    expect(landingPath(user())).toBe('/no-access');
  });
});
