import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSession } from '@/lib/auth/actors';
import { makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const auth = { mfa: false, stepUpAt: null };

describe('loadSession: the user and its roles in one statement, on every request', () => {
  it('returns every role holding with its wiki, and no role for an account without one', async () => {
    const a = await makeActor(t.prisma, 'patroller', 'enwiki');
    await t.prisma.roleAssignment.createMany({
      data: [
        { userId: a.id, role: 'admin', wiki: 'dewiki' },
        { userId: a.id, role: 'patroller', wiki: 'frwiki' },
      ],
    });
    const s = await loadSession(a.id, 0, auth);
    expect(s?.actor).toMatchObject({ kind: 'user', id: a.id, username: a.username, stepUpAt: null });
    expect([...s!.actor.roles].sort((x, y) => `${x.role}${x.wiki}`.localeCompare(`${y.role}${y.wiki}`))).toEqual([
      { role: 'admin', wiki: 'dewiki' },
      { role: 'patroller', wiki: 'enwiki' },
      { role: 'patroller', wiki: 'frwiki' },
    ]);
    expect(s).toMatchObject({ totpEnrolled: false, pending: null });
    const none = await makeActor(t.prisma, null);
    expect((await loadSession(none.id, 0, auth))?.actor.roles).toEqual([]);
  });

  it('signs out at once: a bumped session version, a disabled account, an unknown or malformed id', async () => {
    const a = await makeActor(t.prisma, 'patroller');
    expect(await loadSession(a.id, 0, auth)).not.toBeNull();
    await t.prisma.user.update({ where: { id: a.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await loadSession(a.id, 0, auth)).toBeNull();
    expect(await loadSession(a.id, 1, auth)).not.toBeNull();
    await t.prisma.user.update({ where: { id: a.id }, data: { disabled: true } });
    expect(await loadSession(a.id, 1, auth)).toBeNull();
    expect(await loadSession('00000000-0000-4000-8000-00000000beef', 0, auth)).toBeNull();
    expect(await loadSession('not-a-uuid', 0, auth)).toBeNull();
    expect(await loadSession("' OR 1=1 --", 0, auth)).toBeNull();
  });

  it('an enrolled account without a verified factor in this session is pending verification; with one, its step-up time is kept', async () => {
    const a = await makeActor(t.prisma, 'patroller');
    await t.prisma.user.update({ where: { id: a.id }, data: { totpSecretEnc: new Uint8Array([1, 2, 3]) } });
    expect(await loadSession(a.id, 0, auth)).toMatchObject({ totpEnrolled: true, pending: 'verify' });
    const s = await loadSession(a.id, 0, { mfa: true, stepUpAt: 1234 });
    expect(s).toMatchObject({ totpEnrolled: true, pending: null });
    expect(s?.actor.stepUpAt).toBe(1234);
  });
});
