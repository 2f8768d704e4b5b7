import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSession } from '@/lib/auth/actors';
import { authOptions, CODE_REQUIRED } from '@/lib/auth/nextauth';
import { consumeRecoveryCode, openSecret, verifyTotp } from '@/lib/auth/second-factor';
import { codeFor } from '@/lib/auth/totp';
import { ForbiddenError, StepUpRequiredError, ValidationError } from '@/lib/errors';
import { createLogger, setLogger } from '@/lib/log';
import { grantRole } from '@/lib/services/role-grant';
import { beginEnrolment, confirmEnrolment, disableOwnTotp, regenerateRecoveryCodes } from '@/lib/services/totp-enrol';
import { provisionTotp, resetTotp } from '@/lib/services/totp-reset';
import { SYSTEM, ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
let keysDir: string;
const logLines: string[] = [];
beforeAll(async () => {
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-totp-keys-'));
  process.env.MASKPATROL_KEYS_DIR = keysDir;
  setLogger(createLogger({ write: (line: string) => void logLines.push(line) }));
  t = await createTestDb();
});
afterAll(async () => {
  setLogger(createLogger());
  await t?.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
});

const rows = (action: string, targetId: string) => t.prisma.auditEvent.findMany({ where: { action, targetId } });
const dump = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
const noStepUp = <A extends { stepUpAt?: number | null }>(a: A): A => ({ ...a, stepUpAt: null });
/** a code for a step no earlier than `after` (replay protection refuses the same step twice) */
const codeAfter = (secret: string, steps = 0) => codeFor(secret, Date.now() + steps * 30_000);

async function enrol(actor: Awaited<ReturnType<typeof makeActor>>) {
  const { secret } = await beginEnrolment(ctx(actor, t.prisma));
  const { recoveryCodes } = await confirmEnrolment(ctx(actor, t.prisma), { code: codeFor(secret) });
  return { secret, recoveryCodes };
}

describe('self-service enrolment', () => {
  it('stores the secret encrypted, audits totp.enrol once, and keeps secret and codes out of rows and logs', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    expect((await loadSession(steward.id, 0, { mfa: false, stepUpAt: null }))?.pending).toBe('enrol');
    const { secret } = await beginEnrolment(ctx(steward, t.prisma));
    expect(await rows('totp.enrol', steward.id)).toHaveLength(0); // a pending secret is not an enrolment
    await expect(confirmEnrolment(ctx(steward, t.prisma), { code: '000000' === codeFor(secret) ? '111111' : '000000' })).rejects.toBeInstanceOf(ValidationError);
    const { recoveryCodes } = await confirmEnrolment(ctx(steward, t.prisma), { code: codeFor(secret) });
    expect(recoveryCodes).toHaveLength(10);

    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: steward.id } });
    expect(user.totpPendingEnc).toBeNull();
    expect(Buffer.from(user.totpSecretEnc!).toString('latin1')).not.toContain(secret);
    expect(openSecret(steward.id, user.totpSecretEnc!)).toBe(secret);
    const hashes = await t.prisma.recoveryCode.findMany({ where: { userId: steward.id } });
    expect(hashes.map((h) => h.hash).every((h) => h.startsWith('$argon2id$'))).toBe(true);

    const audit = await rows('totp.enrol', steward.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ secondFactor: 'enrolled', recoveryCodes: 10 });
    const everything = dump(await t.prisma.auditEvent.findMany()) + logLines.join('\n');
    for (const s of [secret, ...recoveryCodes, ...recoveryCodes.map((c) => c.replace('-', ''))]) expect(everything).not.toContain(s);
    expect((await loadSession(steward.id, 0, { mfa: false, stepUpAt: null }))?.pending).toBe('verify');
    expect((await loadSession(steward.id, 0, { mfa: true, stepUpAt: 1 }))?.pending).toBeNull();
  });

  it('refuses the replay of a code, accepts the next step; a recovery code works exactly once', async () => {
    const u = await makeActor(t.prisma, 'checkuser');
    const { secret, recoveryCodes } = await enrol(u);
    // the confirming code itself is spent
    expect(await verifyTotp(u.id, codeFor(secret))).toBe(false);
    const next = codeAfter(secret, 1);
    expect(await verifyTotp(u.id, next, Date.now() + 30_000)).toBe(true);
    expect(await verifyTotp(u.id, next, Date.now() + 30_000)).toBe(false);
    expect(await consumeRecoveryCode(u.id, recoveryCodes[3]!.toUpperCase())).toBe(true);
    expect(await consumeRecoveryCode(u.id, recoveryCodes[3]!)).toBe(false);
    expect(await consumeRecoveryCode(u.id, 'aaaaa-aaaaa')).toBe(false);
  });

  it('regenerating recovery codes and disabling need a fresh step-up; refusals leave no audit row', async () => {
    const p = await makeActor(t.prisma, 'patroller');
    const { recoveryCodes } = await enrol(p);
    await expect(regenerateRecoveryCodes(ctx(noStepUp(p), t.prisma))).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(disableOwnTotp(ctx({ ...p, stepUpAt: Date.now() - 11 * 60_000 }, t.prisma))).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await rows('totp.recovery-regenerate', p.id)).toHaveLength(0);
    expect(await rows('totp.disable', p.id)).toHaveLength(0);
    const fresh = await regenerateRecoveryCodes(ctx(p, t.prisma));
    expect(await consumeRecoveryCode(p.id, recoveryCodes[0]!)).toBe(false);
    expect(await consumeRecoveryCode(p.id, fresh.recoveryCodes[0]!)).toBe(true);
    await disableOwnTotp(ctx(p, t.prisma));
    expect(await rows('totp.disable', p.id)).toHaveLength(1);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: p.id } })).totpSecretEnc).toBeNull();
  });

  it('a role that requires TOTP cannot turn it off', async () => {
    const c = await makeActor(t.prisma, 'checkuser');
    await enrol(c);
    await expect(disableOwnTotp(ctx(c, t.prisma))).rejects.toBeInstanceOf(ValidationError);
    expect(await rows('totp.disable', c.id)).toHaveLength(0);
  });
});

describe('reset by a steward, provisioning by an operator', () => {
  it('a steward resets a checkuser: audited, sessions ended; others are refused without an audit row', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const target = await makeActor(t.prisma, 'checkuser');
    await enrol(target);
    const admin = await makeActor(t.prisma, 'admin');
    await expect(resetTotp(ctx(admin, t.prisma), { userId: target.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resetTotp(ctx(noStepUp(steward), t.prisma), { userId: target.id })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await rows('totp.reset', target.id)).toHaveLength(0);
    await resetTotp(ctx(steward, t.prisma), { userId: target.id, reason: 'lost phone' });
    const after = await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.totpSecretEnc).toBeNull();
    expect(after.sessionVersion).toBe(1);
    expect(await t.prisma.recoveryCode.count({ where: { userId: target.id } })).toBe(0);
    expect(await rows('totp.reset', target.id)).toHaveLength(1);
  });

  it('only operator tools provision someone else; the provisioned secret verifies', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const target = await makeActor(t.prisma, 'patroller');
    await expect(provisionTotp(ctx(steward, t.prisma), { userId: target.id })).rejects.toBeInstanceOf(ForbiddenError);
    const { secret } = await provisionTotp(ctx(SYSTEM, t.prisma), { userId: target.id });
    expect(await verifyTotp(target.id, codeFor(secret))).toBe(true);
  });
});

describe('step-up for role changes', () => {
  it('a grant without a fresh step-up is refused (no audit row); with one it goes through', async () => {
    const steward = await makeActor(t.prisma, 'steward');
    const target = await makeActor(t.prisma, 'patroller');
    const req = { userId: target.id, role: 'admin' as const, wiki: 'enwiki' };
    await expect(grantRole(ctx(noStepUp(steward), t.prisma), req)).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(grantRole(ctx({ ...steward, stepUpAt: Date.now() - 10 * 60_000 - 1000 }, t.prisma), req)).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await rows('role.grant', target.id)).toHaveLength(0);
    // authorization comes first: a patroller is refused as forbidden, not asked for a step-up
    const patroller = await makeActor(t.prisma, 'patroller');
    await expect(grantRole(ctx(noStepUp(patroller), t.prisma), req)).rejects.toBeInstanceOf(ForbiddenError);
    await grantRole(ctx(steward, t.prisma), req);
    expect(await rows('role.grant', target.id)).toHaveLength(1);
  });
});

describe('credentials sign-in with a second factor', () => {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize(c: Record<string, string>, req: unknown): Promise<Record<string, unknown> | null> };
  };
  const signIn = (c: Record<string, string>) => provider.options.authorize(c, { headers: { 'x-maskpatrol-client': '192.0.2.7' } });

  it('asks for the code after a right password, refuses a wrong code (counted), takes a recovery code once', async () => {
    const password = 'a perfectly fine password';
    const { createUser } = await import('@/lib/services/user-create');
    const u = await createUser({ actor: SYSTEM, db: t.prisma }, { username: 'two-factor-user', password, roles: [{ role: 'steward', wiki: '*' }] });
    const { secret, recoveryCodes } = await provisionTotp(ctx(SYSTEM, t.prisma), { userId: u.id });
    await expect(signIn({ username: u.username, password })).rejects.toThrow(CODE_REQUIRED);
    await expect(signIn({ username: u.username, password: 'wrong password here', totp: codeFor(secret) })).resolves.toBeNull();
    expect(await signIn({ username: u.username, password, totp: '000000' === codeFor(secret) ? '111111' : '000000' })).toBeNull();
    const failures = await t.prisma.authThrottle.findUnique({ where: { key: 'account:two-factor-user' } });
    expect(failures?.failures).toBe(2);
    const ok = await signIn({ username: u.username, password, totp: codeFor(secret) });
    expect(ok).toMatchObject({ id: u.id, mfa: true });
    expect(typeof ok!.stepUpAt).toBe('number');
    expect(await signIn({ username: u.username, password, totp: codeFor(secret) })).toBeNull(); // replay
    const viaRecovery = await signIn({ username: u.username, password, totp: recoveryCodes[0]! });
    expect(viaRecovery).toMatchObject({ mfa: true, stepUpAt: null }); // signs in, but is no step-up
    expect(await signIn({ username: u.username, password, totp: recoveryCodes[0]! })).toBeNull();
    expect(logLines.join('\n')).not.toContain(secret);
    for (const c of recoveryCodes) expect(logLines.join('\n')).not.toContain(c);
  });
});
