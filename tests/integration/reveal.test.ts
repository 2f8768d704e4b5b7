import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/chain';
import { KeyRing } from '@/lib/masking/keyring';
import { RevealRefusedError } from '@/lib/reveal/refusals';
import { revealIp } from '@/lib/services/reveal';
import { decideRevealRequest, requestBulkReveal } from '@/lib/services/reveal-requests';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir } from '../helpers/ingest';
import { dumpAllTables, findLeaks, serialise } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { GOOD_REASON, ingestEdits, makeHolder } from '../helpers/reveal';

/**
 * The reveal's happy paths and its fail-closed property: one actor's address, every address of a range after
 * a second checkuser's approval, an admin with a steward's grant, every reveal its own audited row, a failed
 * audit insert returning nothing, a shredded record answered as "no longer available", and no canary address
 * anywhere in the database afterwards.
 */
const SOLO = '203.0.113.57';
const WAVE = ['198.51.100.11', '198.51.100.23', '198.51.100.37'];
const CANARIES = [SOLO, ...WAVE];
const at = (minAgo: number) => new Date(Date.now() - minAgo * 60_000).toISOString();

let t: TestDb;
let dir: string;
let keys: KeyRing;
let steward: Awaited<ReturnType<typeof makeActor>>;
const responses: unknown[] = [];
const one = async (q: string) => (await t.sql(q))[0] as Record<string, string>;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir('reveal');
  const edits = [anonEdit(SOLO, { title: 'Solo page', timestamp: at(30) }), anonEdit(SOLO, { title: 'Solo page 2', timestamp: at(20) })];
  WAVE.forEach((ip, i) => edits.push(rawEdit({ user: `~2026-555-${i}`, isTemp: true, ip, title: 'Wave', timestamp: at(40 - i) })));
  await ingestEdits(t.prisma, path.join(dir, 'keys'), edits);
  keys = new KeyRing(path.join(dir, 'keys'));
  steward = await makeActor(t.prisma, 'steward');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const soloKey = async () => (await one(`SELECT "ipKey" FROM edit WHERE "actorKind" = 'ip' LIMIT 1`)).ipKey!;

describe('reveal of one actor', () => {
  it('returns the address to an eligible checkuser; every reveal is its own reveal row and ip.reveal audit row, without the address', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const key = await soloKey();
    const first = await revealIp(ctx(cu, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON, caseRef: 'SPI/Example' }, { keys });
    const second = await revealIp(ctx(cu, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys });
    responses.push(first, second);
    expect(first.addresses.map((a) => a.ip)).toEqual([SOLO]);
    expect(first.addresses[0]!.display).toMatch(/^IP-/);
    expect(first.displaySeconds).toBe(300);
    expect(second.revealId).not.toBe(first.revealId);
    const rows = await t.prisma.reveal.findMany({ where: { holderId: cu.id }, orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ targetType: 'actor', targetKey: key, reasonCategory: GOOD_REASON.category, caseRef: 'SPI/Example', ipCount: 1 });
    const audit = await t.prisma.auditEvent.findMany({ where: { action: 'ip.reveal', actorId: cu.id } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ targetType: 'actor', targetId: key, reason: `${GOOD_REASON.category}: ${GOOD_REASON.reason}` });
    expect(findLeaks(serialise(audit), CANARIES)).toEqual([]);
  });

  it('an admin reveals with a grant from a steward (the grant audited)', async () => {
    const key = await soloKey();
    const granted = await makeHolder(t.prisma, steward, { role: 'admin', grant: true });
    const r = await revealIp(ctx(granted, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys });
    responses.push(r);
    expect(r.addresses[0]!.ip).toBe(SOLO);
    expect(await t.prisma.auditEvent.count({ where: { action: 'reveal.grant', targetId: granted.id } })).toBe(1);
  });

  it('fails closed: when the audit insert fails no address is returned and no reveal row stays', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const key = await soloKey();
    await t.sql(`CREATE FUNCTION fail_reveal_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await t.sql(`CREATE TRIGGER fail_reveal_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_reveal_audit()`);
    let returned: unknown = null;
    let error: unknown = null;
    try {
      returned = await revealIp(ctx(cu, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys });
    } catch (err) {
      error = err;
    } finally {
      await t.sql(`DROP TRIGGER fail_reveal_audit ON audit_event`);
    }
    expect(returned).toBeNull();
    expect(error).toBeInstanceOf(Error);
    expect(findLeaks(serialise({ message: (error as Error).message, stack: (error as Error).stack }), CANARIES)).toEqual([]);
    expect(await t.prisma.reveal.count({ where: { holderId: cu.id } })).toBe(0);
    expect((await verifyChain(t.prisma)).ok).toBe(true);
  });
});

describe('range reveal with approval', () => {
  it('needs a request approved by a different checkuser; then reveals every address of the range once', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const other = await makeHolder(t.prisma, steward);
    const key = (await one(`SELECT range24 FROM edit WHERE "actorKind" = 'temp' LIMIT 1`)).range24!;
    const target = { type: 'range', key };
    await expect(revealIp(ctx(cu, t.prisma), { target, ...GOOD_REASON }, { keys })).rejects.toMatchObject({ refusal: 'approval_required' });
    const req = await requestBulkReveal(ctx(cu, t.prisma), { target, ...GOOD_REASON });
    // not usable before approval
    await expect(revealIp(ctx(cu, t.prisma), { target, requestId: req.id }, { keys })).rejects.toMatchObject({ refusal: 'approval_not_granted' });
    await decideRevealRequest(ctx(other, t.prisma), { requestId: req.id, approve: true, note: 'looks justified' });
    const r = await revealIp(ctx(cu, t.prisma), { target, requestId: req.id }, { keys });
    responses.push(r);
    expect(r.addresses.map((a) => a.ip).sort()).toEqual([...WAVE].sort());
    expect(r.label).toMatch(/^R24-/);
    await expect(revealIp(ctx(cu, t.prisma), { target, requestId: req.id }, { keys })).rejects.toMatchObject({ refusal: 'approval_used' });
    const row = await t.prisma.reveal.findUniqueOrThrow({ where: { id: r.revealId } });
    expect(row).toMatchObject({ requestId: req.id, ipCount: 3, targetType: 'range' });
    expect(await t.prisma.auditEvent.count({ where: { action: 'ip.reveal-approve', targetId: req.id, actorId: other.id } })).toBe(1);
  });

  it('a steward may approve a cluster request', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const { clusterId } = await one(`SELECT "clusterId" FROM edit WHERE "clusterId" IS NOT NULL LIMIT 1`);
    expect(clusterId).toBeTruthy();
    const target = { type: 'cluster', key: clusterId };
    const req = await requestBulkReveal(ctx(cu, t.prisma), { target, ...GOOD_REASON });
    await decideRevealRequest(ctx(steward, t.prisma), { requestId: req.id, approve: true });
    const r = await revealIp(ctx(cu, t.prisma), { target, requestId: req.id }, { keys });
    responses.push(r);
    expect(r.addresses.length).toBeGreaterThan(0);
  });
});

describe('shredded records and leaks', () => {
  it('nothing in the database holds a revealed address', async () => {
    expect(responses.length).toBeGreaterThan(0);
    expect(findLeaks(serialise(responses), CANARIES).length).toBeGreaterThan(0); // control: the responses do
    const dump = await dumpAllTables((q) => t.sql(q));
    expect(dump.tables).toEqual(expect.arrayContaining(['reveal', 'reveal_holder', 'reveal_request', 'audit_event']));
    expect(findLeaks(dump.text, CANARIES)).toEqual([]);
  });

  it('a record whose day key was destroyed answers "no longer available", audited as a refusal', async () => {
    const cu = await makeHolder(t.prisma, steward);
    const key = await soloKey();
    const vaultDir = path.join(dir, 'keys', 'vault');
    for (const f of fs.readdirSync(vaultDir)) fs.rmSync(path.join(vaultDir, f));
    const err = await revealIp(ctx(cu, t.prisma), { target: { type: 'actor', key }, ...GOOD_REASON }, { keys }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RevealRefusedError);
    expect(err).toMatchObject({ refusal: 'no_longer_available', status: 410 });
    expect((err as Error).message).toMatch(/no longer available/);
    expect(await t.prisma.reveal.count({ where: { holderId: cu.id } })).toBe(0);
    const refused = await t.prisma.auditEvent.findFirstOrThrow({ where: { action: 'ip.reveal-refused', actorId: cu.id } });
    expect(refused.after).toMatchObject({ refusal: 'no_longer_available' });
  });
});
