import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { grantRole, revokeRole } from '@/lib/services/role-grant';
import { createUser } from '@/lib/services/user-create';
import { endSessions } from '@/lib/services/session-revoke';
import { setUserDisabled } from '@/lib/services/user-disable';
import { verifyLogin } from '@/lib/auth/actors';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const auditCount = async (where: object = {}) => t.prisma.auditEvent.count({ where });

describe('user.create', () => {
  it('creates the account, its roles and one audit row, without any secret in the row', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const before = await auditCount();
    const u = await createUser(ctx(steward, t.prisma), {
      username: 'alice',
      password: 'correct horse battery staple',
      roles: [{ role: 'admin', wiki: 'enwiki' }],
      reason: 'new enwiki admin',
    });
    expect(await auditCount()).toBe(before + 1);
    const row = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: u.id } });
    expect(row).toMatchObject({ actorType: 'user', actorId: steward.id, actorName: steward.username, wiki: '*', reason: 'new enwiki admin' });
    expect(row.after).toMatchObject({ username: 'alice', roles: [{ role: 'admin', wiki: 'enwiki' }] });
    const serialised = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const stored = await t.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(serialised).not.toContain('correct horse');
    expect(serialised).not.toContain(stored.passwordHash!);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyLogin('alice', 'correct horse battery staple')).toMatchObject({ id: u.id });
    expect(await verifyLogin('alice', 'wrong password here')).toBeNull();
  });

  it('generates a password when none is given and returns it once', async () => {
    const u = await createUser({ actor: SYSTEM, db: t.prisma }, { username: 'gen-user', roles: [] });
    expect(u.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await verifyLogin('gen-user', u.generatedPassword!)).not.toBeNull();
  });

  it('refuses a weak password, a bad username and a duplicate, with no audit row', async () => {
    const before = await auditCount();
    await expect(createUser({ actor: SYSTEM, db: t.prisma }, { username: 'bob', password: 'short' })).rejects.toBeInstanceOf(ValidationError);
    await expect(createUser({ actor: SYSTEM, db: t.prisma }, { username: 'no spaces allowed', password: 'a perfectly fine password' })).rejects.toBeInstanceOf(ValidationError);
    await expect(createUser({ actor: SYSTEM, db: t.prisma }, { username: 'alice', password: 'another fine password' })).rejects.toBeInstanceOf(ConflictError);
    expect(await auditCount()).toBe(before);
  });

  it('refuses non-stewards (403) and writes no audit row', async () => {
    for (const role of ['patroller', 'admin', 'checkuser'] as const) {
      const actor = await makeActor(t.prisma, role);
      const before = await auditCount();
      await expect(createUser(ctx(actor, t.prisma), { username: `x-${role}` })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await auditCount()).toBe(before);
      expect(await t.prisma.user.count({ where: { username: `x-${role}` } })).toBe(0);
    }
  });

  it('keeps the steward role global', async () => {
    await expect(createUser({ actor: SYSTEM, db: t.prisma }, { username: 'local-steward', roles: [{ role: 'steward', wiki: 'enwiki' }] })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('role.grant / role.revoke', () => {
  it('a steward grants and revokes a per-wiki role, each audited with before/after', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const target = await makeActor(t.prisma, 'patroller', 'enwiki');
    await grantRole(ctx(steward, t.prisma), { userId: target.id, role: 'admin', wiki: 'dewiki', reason: 'RfA passed' });
    const roles = await t.prisma.roleAssignment.findMany({ where: { userId: target.id }, orderBy: { wiki: 'asc' } });
    expect(roles.map((r) => `${r.role}@${r.wiki}`)).toEqual(['admin@dewiki', 'patroller@enwiki']);
    const grant = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'role.grant', targetId: target.id } });
    expect(grant).toMatchObject({ wiki: 'dewiki', reason: 'RfA passed', actorId: steward.id });
    await expect(grantRole(ctx(steward, t.prisma), { userId: target.id, role: 'admin', wiki: 'dewiki' })).rejects.toBeInstanceOf(ConflictError);

    const sv = (await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).sessionVersion;
    await revokeRole(ctx(steward, t.prisma), { userId: target.id, role: 'admin', wiki: 'dewiki' });
    expect(await t.prisma.roleAssignment.count({ where: { userId: target.id, role: 'admin' } })).toBe(0);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).sessionVersion).toBe(sv + 1);
    expect(await auditCount({ action: 'role.revoke', targetId: target.id })).toBe(1);
  });

  it('refuses a patroller (403) and records nothing', async () => {
    const patroller = await makeActor(t.prisma, 'patroller');
    const target = await makeActor(t.prisma, null);
    const before = await auditCount();
    await expect(grantRole(ctx(patroller, t.prisma), { userId: target.id, role: 'steward' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await auditCount()).toBe(before);
    expect(await t.prisma.roleAssignment.count({ where: { userId: target.id } })).toBe(0);
  });

  it('a wiki-local steward does not exist, and a per-wiki admin cannot manage roles', async () => {
    const enAdmin = await makeActor(t.prisma, 'admin', 'enwiki');
    const target = await makeActor(t.prisma, null);
    await expect(grantRole(ctx(enAdmin, t.prisma), { userId: target.id, role: 'patroller', wiki: 'enwiki' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('user.disable', () => {
  it('disables an account, ends its sessions, refuses its sign-in, and audits it', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const u = await createUser({ actor: SYSTEM, db: t.prisma }, { username: 'to-disable', password: 'a perfectly fine password' });
    await setUserDisabled(ctx(steward, t.prisma), { userId: u.id, disabled: true, reason: 'compromised' });
    expect(await verifyLogin('to-disable', 'a perfectly fine password')).toBeNull();
    expect(await auditCount({ action: 'user.disable', targetId: u.id })).toBe(1);
    await expect(setUserDisabled(ctx(steward, t.prisma), { userId: steward.id, disabled: true })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('lower roles are refused the account verbs, without an audit row', () => {
  it('a patroller or admin cannot disable an account or end its sessions; a steward ends them, audited', async () => {
    const target = await makeActor(t.prisma, 'patroller');
    const before = await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    for (const role of ['patroller', 'admin'] as const) {
      const lower = await makeActor(t.prisma, role);
      await expect(setUserDisabled(ctx(lower, t.prisma), { userId: target.id, disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(endSessions(ctx(lower, t.prisma), { userId: target.id })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await auditCount({ targetId: target.id, action: { in: ['user.disable', 'session.revoke'] } })).toBe(0);
    const steward = await makeActor(t.prisma, 'steward');
    await endSessions(ctx(steward, t.prisma), { userId: target.id, reason: 'lost laptop' });
    const after = await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await auditCount({ targetId: target.id, action: 'session.revoke', actorId: steward.id })).toBe(1);
  });
});

describe('audit failure', () => {
  it('rolls the action back when the audit row cannot be written', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    await t.sql(`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await t.sql(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_audit()`);
    try {
      await expect(createUser(ctx(steward, t.prisma), { username: 'never-created' })).rejects.toThrow();
      expect(await t.prisma.user.count({ where: { username: 'never-created' } })).toBe(0);
    } finally {
      await t.sql(`DROP TRIGGER fail_audit ON audit_event`);
    }
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });
});
