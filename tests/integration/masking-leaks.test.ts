import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, log, setLogger } from '@/lib/log';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import type { MaskedEdit } from '@/lib/masking/types';
import { readVaultRecord, writeVault } from '@/lib/masking/vault';
import { rotateKeys } from '@/lib/services/keys-rotate';
import { shredVault } from '@/lib/services/vault-shred';
import { SYSTEM } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { dumpAllTables, findLeaks, ipTextForms } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { PUBLIC_CANARIES, testContext } from '../helpers/context';

/**
 * Canary IPs through the masking boundary, as editor and hidden in every text field, persisted like the
 * ingest will persist them; then every table and every log line is searched for every textual form of
 * the canaries: zero hits. The masker runs with the shipped IP context on (step 9), and two canaries are real
 * public addresses whose network the data knows, so the lookup hits and its result is stored too.
 */
const V4 = '203.0.113.57';
const V6 = '2001:db8:85a3::8a2e:370:7334';
const MAPPED = '::ffff:192.0.2.146';
const PUB4 = PUBLIC_CANARIES.v4;
const PUB6 = PUBLIC_CANARIES.v6;
const CANARIES = [V4, V6, MAPPED, PUB4, PUB6];
/** other spellings of the same canaries, as they may appear in text */
const SPELLINGS: Record<string, string[]> = {
  [V4]: [V4, '203.000.113.057'],
  [V6]: [V6, '2001:0DB8:85A3:0000:0000:8A2E:0370:7334', '2001:db8:85a3:0:0:8a2e:370:7334'],
  [MAPPED]: [MAPPED, '::FFFF:C000:292', '192.0.2.146'],
  [PUB4]: [PUB4, '081.002.069.160', `::ffff:${PUB4}`],
  [PUB6]: [PUB6, '2A00:1450:4001:082A:0000:0000:0000:200E', '2a00:1450:4001:82a:0:0:0:200e'],
};

let t: TestDb;
let keysDir: string;
const logLines: string[] = [];
const previousLevel = process.env.LOG_LEVEL;

beforeAll(async () => {
  t = await createTestDb();
  keysDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-leaks-')), 'keys');
  process.env.LOG_LEVEL = 'trace';
  setLogger(createLogger({ write: (line: string) => void logLines.push(line) }));
  await t.sql('CREATE TABLE test_masked_edit (id serial PRIMARY KEY, body jsonb NOT NULL)');
});
afterAll(async () => {
  if (previousLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLevel;
  setLogger(createLogger());
  await t?.close();
  if (keysDir) fs.rmSync(path.dirname(keysDir), { recursive: true, force: true });
});

function editsFor(canary: string) {
  const forms = SPELLINGS[canary]!;
  const [a, b, c] = [forms[0]!, forms[1] ?? forms[0]!, forms[2] ?? forms[0]!];
  const text = {
    title: `User talk:${b}`,
    comment: `Reverted edits by ${a} (talk) to last version by Example; see ${c}.`,
    parsedComment: `Reverted edits by <a href="/wiki/Special:Contributions/${b}" title="Special:Contributions/${b}">${b}</a> (<a href="/wiki/User_talk:${a}">talk</a>)`,
    logParams: { target: `User:${a}`, blockParams: { range: `${c}/32`, list: [a, { note: `from ${b}` }] }, [a]: 1 },
  };
  return [
    anonEdit(canary, { userAgent: 'Mozilla/5.0 (canary UA)', ...text }),
    rawEdit({ user: '~2026-00001-01', isTemp: true, ip: b, userAgent: 'Mozilla/5.0 (canary UA)' }),
    rawEdit({ user: 'Registered Example', ip: c, ...text, type: 'log', logType: 'block', logAction: 'block' }),
  ];
}

describe('masking boundary leak check', () => {
  it('no textual form of any canary IP reaches the database or the logs', async () => {
    const keys = new KeyRing(keysDir);
    const masker = new Masker({ keys, limits: { v4: 16, v6: 19 }, context: testContext() });
    const masked: MaskedEdit[] = [];
    const vaultIds: string[] = [];
    const errors: string[] = [];
    for (const canary of CANARIES)
      for (const raw of editsFor(canary)) {
        const out = masker.maskEdit(raw, { extraLengths: { v4: new Set([20]), v6: new Set([40]) } });
        masked.push(out.masked);
        vaultIds.push(...out.vault.map((v) => v.id));
        await t.prisma.$transaction(async (tx) => {
          await writeVault(tx, out.vault);
          await tx.$executeRawUnsafe('INSERT INTO test_masked_edit (body) VALUES ($1::jsonb)', JSON.stringify(out.masked));
        });
        log().info({ edit: out.masked }, 'masked edit stored');
      }
    // invalid inputs carrying the canaries: refused without echoing them
    for (const bad of [rawEdit({ ip: `${V4}0` }), anonEdit(`${V6}/64`), rawEdit({ ip: `${MAPPED}x` })]) {
      try {
        masker.maskEdit(bad);
        expect.unreachable();
      } catch (err) {
        errors.push(`${String(err)} ${JSON.stringify(err)}`);
        log().warn({ err }, 'edit refused at the masking boundary');
      }
    }
    // audited key operations write rows and log lines too
    await rotateKeys({ actor: SYSTEM, db: t.prisma }, { keysDir, force: true });
    expect((await shredVault({ actor: SYSTEM, db: t.prisma }, { keysDir })).days).toEqual([]); // nothing expired yet
    expect(await t.prisma.vaultRecord.count()).toBe(vaultIds.length);

    const dump = await dumpAllTables(t.sql);
    expect(dump.tables).toEqual(expect.arrayContaining(['audit_event', 'vault_record', 'test_masked_edit']));
    const haystack = [dump.text, logLines.join('\n'), JSON.stringify(masked), errors.join('\n')].join('\n');
    expect(logLines.length).toBeGreaterThan(9);
    expect(haystack).toContain(masked[0]!.actor.name); // the pseudonyms are there…
    expect(findLeaks(haystack, CANARIES)).toEqual([]); // …the addresses are not

    // the context lookups hit for the public canaries (so the leak check covered stored context), and the
    // stored context is only ASN, organisation, country, type and flag
    const pub = masked.filter((m) => m.actor.kind === 'ip' && m.net?.asn);
    expect(pub.map((m) => m.net!.asn).sort()).toEqual([PUBLIC_CANARIES.v6Context.asn, PUBLIC_CANARIES.v4Context.asn].sort());
    expect(haystack).toContain(PUBLIC_CANARIES.v4Context.org);
    for (const m of masked) if (m.net) expect(Object.keys(m.net).sort()).toEqual(['anon', 'asn', 'country', 'org', 'type']);

    // the detector itself finds every form it claims to (no vacuous pass)
    for (const c of CANARIES) for (const f of ipTextForms(c)) expect(findLeaks(`x ${f.toUpperCase()} y`, [c]).length).toBeGreaterThan(0);
    // …and key material is nowhere either
    for (const dir of ['pseudonym', 'vault'])
      for (const f of fs.readdirSync(path.join(keysDir, dir)).filter((n) => n.endsWith('.key'))) {
        const raw = Buffer.from(fs.readFileSync(path.join(keysDir, dir, f), 'utf8').trim(), 'base64');
        for (const form of [raw.toString('base64'), raw.toString('hex'), raw.toString('base64url')]) expect(haystack).not.toContain(form);
      }
  });

  it('the vault holds the canaries, readable inside a transaction with today’s key', async () => {
    const keys = new KeyRing(keysDir);
    const masker = new Masker({ keys, limits: { v4: 16, v6: 19 } });
    const out = masker.maskEdit(editsFor(V6)[0]!);
    await writeVault(t.prisma, out.vault);
    const plain = await t.prisma.$transaction((tx) => readVaultRecord(tx, keys, out.masked.actor.vaultId!));
    expect(plain).toEqual({ ip: V6, userAgent: 'Mozilla/5.0 (canary UA)' });
    const mapped = masker.maskEdit(anonEdit(MAPPED));
    await writeVault(t.prisma, mapped.vault);
    expect(await t.prisma.$transaction((tx) => readVaultRecord(tx, keys, mapped.masked.actor.vaultId!))).toEqual({ ip: '192.0.2.146' });
  });
});
