import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { loadSession } from '@/lib/auth/actors';
import { signInWithWiki } from '@/lib/auth/oauth';
import { oauthConfig, type OAuthConfig } from '@/lib/auth/oauth-config';
import { refreshWikiRoles } from '@/lib/auth/wiki-refresh';
import { grantRole } from '@/lib/services/role-grant';
import { setUserDisabled } from '@/lib/services/user-disable';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { startFakeWiki, type FakeWiki } from '../helpers/fake-wiki';

/**
 * Wiki groups → roles against a real HTTP MediaWiki stand-in on loopback (tests/helpers/fake-wiki.ts):
 * the Action API answers per wiki, the service layer records every change (system actor), the refresh
 * follows group changes, and a name that belongs to someone else on a wiki gives nothing there.
 */
let t: TestDb;
let wiki: FakeWiki;
let cfg: OAuthConfig;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDb();
  wiki = await startFakeWiki({ clientId: 'c', clientSecret: 's' });
  cfg = oauthConfig({
    MASKPATROL_OAUTH_CLIENT_ID: 'c',
    MASKPATROL_OAUTH_CLIENT_SECRET: 's',
    MASKPATROL_OAUTH_BASE_URL: wiki.baseUrl,
    MASKPATROL_OAUTH_WIKIS: `enwiki=${wiki.apiUrl('enwiki')},dewiki=${wiki.apiUrl('dewiki')}`,
  })!;
});
afterAll(async () => {
  await wiki?.close();
  await t?.close();
});

const rolesOf = async (id: string) =>
  (await t.prisma.roleAssignment.findMany({ where: { userId: id }, orderBy: [{ wiki: 'asc' }, { role: 'asc' }] })).map((r) => `${r.role}@${r.wiki}:${r.source}`);
const audits = (id: string) => t.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { seq: 'asc' } });

describe('sign-in with a wiki account', () => {
  it('reads the groups on every configured wiki and grants per-wiki roles, recorded by the system actor', async () => {
    const u = wiki.addUser({ name: 'Alice Example', groups: { metawiki: [], enwiki: ['sysop', 'autoconfirmed'], dewiki: ['rollbacker'] }, global: [] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.account.created).toBe(true);
    expect(r.account.username).toBe('Alice Example@wiki');
    expect(await rolesOf(r.account.id)).toEqual(['patroller@dewiki:wiki', 'admin@enwiki:wiki']);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: r.account.id } });
    expect(row).toMatchObject({ passwordHash: null, oauthIssuer: wiki.baseUrl, oauthSub: String(u.id), wikiUsername: 'Alice Example' });
    const [created] = await audits(r.account.id);
    expect(created).toMatchObject({ action: 'user.create', actorType: 'system', actorName: 'wiki-groups' });
    // the same account on the next sign-in, nothing new to record
    const again = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    expect(again.ok && again.account.id).toBe(r.account.id);
    expect(await audits(r.account.id)).toHaveLength(1);
  });

  it('no mapped group on any wiki: refused, and no account is created', async () => {
    const u = wiki.addUser({ name: 'Bob Reader', groups: { metawiki: ['autoconfirmed'], enwiki: ['bureaucrat'] }, global: ['global-renamer'] });
    const before = await t.prisma.user.count();
    expect(await signInWithWiki(cfg, { sub: String(u.id), username: u.name })).toEqual({ ok: false, reason: 'no-role' });
    expect(await t.prisma.user.count()).toBe(before);
  });

  it('a global steward gets the global role and, like every steward, must set up TOTP before anything else', async () => {
    const u = wiki.addUser({ name: 'Stew Ard', groups: { metawiki: [] }, global: ['steward'] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    expect(await rolesOf(r.account.id)).toEqual(['steward@*:wiki']);
    const s = await loadSession(r.account.id, r.account.sessionVersion, { mfa: false, stepUpAt: null });
    expect(s?.pending).toBe('enrol');
  });

  it('a name that belongs to another central id on a wiki gives nothing there', async () => {
    const u = wiki.addUser({ name: 'Carol Twin', groups: { metawiki: [], enwiki: ['patroller'] }, global: [], impostorOn: ['dewiki'] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    expect(await rolesOf(r.account.id)).toEqual(['patroller@enwiki:wiki']);
  });

  it('every wiki unreachable: no decision (unavailable), nothing written', async () => {
    const u = wiki.addUser({ name: 'Dora Down', groups: { metawiki: [], enwiki: ['sysop'] }, global: [] });
    for (const w of ['metawiki', 'enwiki', 'dewiki']) wiki.setDown(w, true);
    try {
      expect(await signInWithWiki(cfg, { sub: String(u.id), username: u.name })).toEqual({ ok: false, reason: 'unavailable' });
    } finally {
      for (const w of ['metawiki', 'enwiki', 'dewiki']) wiki.setDown(w, false);
    }
  });
});

describe('refresh', () => {
  it('follows group changes: added and removed wiki roles in one audited role.sync, sessions ended on a loss; steward grants stay', async () => {
    const u = wiki.addUser({ name: 'Erin Flux', groups: { metawiki: [], enwiki: ['sysop'], dewiki: ['rollbacker'] }, global: [] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    const id = r.account.id;
    // a steward also grants a role by hand
    const steward = await makeActor(t.prisma, 'steward');
    await grantRole(ctx(steward, t.prisma), { userId: id, role: 'patroller', wiki: 'frwiki', reason: 'helps on frwiki' });

    // desysopped on enwiki, made checkuser on dewiki
    wiki.addUser({ ...u, groups: { metawiki: [], enwiki: ['autoconfirmed'], dewiki: ['checkuser'] } });
    // not due yet: nothing read
    const calls = wiki.apiCalls.enwiki ?? 0;
    await refreshWikiRoles(cfg, { now: new Date(Date.now() + 60_000) });
    expect(wiki.apiCalls.enwiki ?? 0).toBe(calls);
    expect(await rolesOf(id)).toEqual(['patroller@dewiki:wiki', 'admin@enwiki:wiki', 'patroller@frwiki:grant']);

    const res = await refreshWikiRoles(cfg, { now: new Date(Date.now() + 2 * HOUR) });
    expect(res.failed).toBe(0);
    expect(res.changed).toBeGreaterThanOrEqual(1);
    expect(await rolesOf(id)).toEqual(['checkuser@dewiki:wiki', 'patroller@frwiki:grant']);
    const sync = (await audits(id)).filter((a) => a.action === 'role.sync');
    expect(sync).toHaveLength(1);
    expect(sync[0]).toMatchObject({ actorType: 'system', actorName: 'wiki-groups' });
    expect(sync[0]!.after).toMatchObject({
      added: [{ role: 'checkuser', wiki: 'dewiki' }],
      removed: expect.arrayContaining([{ role: 'admin', wiki: 'enwiki' }, { role: 'patroller', wiki: 'dewiki' }]),
    });
    // losing a role ended the old session
    expect(await loadSession(id, r.account.sessionVersion, { mfa: false, stepUpAt: null })).toBeNull();

    // an unchanged reading records nothing
    await refreshWikiRoles(cfg, { now: new Date(Date.now() + 4 * HOUR) });
    expect((await audits(id)).filter((a) => a.action === 'role.sync')).toHaveLength(1);
  });

  it('a wiki that is down keeps its roles; the others are refreshed', async () => {
    const u = wiki.addUser({ name: 'Finn Partial', groups: { metawiki: [], enwiki: ['sysop'], dewiki: ['sysop'] }, global: [] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    wiki.addUser({ ...u, groups: { metawiki: [], enwiki: [], dewiki: [] } });
    wiki.setDown('dewiki', true);
    try {
      await refreshWikiRoles(cfg, { now: new Date(Date.now() + 6 * HOUR) });
    } finally {
      wiki.setDown('dewiki', false);
    }
    expect(await rolesOf(r.account.id)).toEqual(['admin@dewiki:wiki']);
  });

  it('a rename at the wiki follows the stable id: same account, new name', async () => {
    const u = wiki.addUser({ name: 'Gil Old', groups: { metawiki: [], enwiki: ['rollbacker'] }, global: [] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    wiki.addUser({ ...u, name: 'Gil New' });
    const again = await signInWithWiki(cfg, { sub: String(u.id), username: 'Gil New' });
    expect(again.ok && again.account).toMatchObject({ id: r.account.id, username: 'Gil New@wiki' });
  });

  it('a disabled account is refused at sign-in and left out of the refresh', async () => {
    const u = wiki.addUser({ name: 'Hal Gone', groups: { metawiki: [], enwiki: ['sysop'] }, global: [] });
    const r = await signInWithWiki(cfg, { sub: String(u.id), username: u.name });
    if (!r.ok) throw new Error('refused');
    const steward = await makeActor(t.prisma, 'steward');
    await setUserDisabled(ctx(steward, t.prisma), { userId: r.account.id, disabled: true, reason: 'left' });
    expect(await signInWithWiki(cfg, { sub: String(u.id), username: u.name })).toEqual({ ok: false, reason: 'disabled' });
    wiki.addUser({ ...u, groups: { metawiki: [], enwiki: [] } });
    await refreshWikiRoles(cfg, { now: new Date(Date.now() + 8 * HOUR) });
    expect(await rolesOf(r.account.id)).toEqual(['admin@enwiki:wiki']);
  });

  it('the audit chain stays intact', async () => {
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });
});
