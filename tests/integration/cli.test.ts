import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prismaForPglite } from '@/lib/db/client';
import { openEmbedded } from '@/lib/db/embedded';
import { deployMigrations } from '@/lib/db/migrate';
import { appendCheckpointFile } from '@/lib/audit/checkpoint-file';
import { loadOrCreateSigningKey, signCheckpoint } from '@/lib/audit/signing';
import { runCli } from '../helpers/cli';
import { createTestDb, type TestDb } from '../helpers/db';

/**
 * The command-line tools as a user runs them: on PostgreSQL (DATABASE_URL) or, on the embedded default
 * with no server running, opening the PGlite data directory themselves (under its lock).
 */
const embedded = process.env.TEST_DB !== 'postgres';
let env: Record<string, string | undefined>;
let pgdb: TestDb | undefined;
let dataDir = '';
// a key store of the test's own (the verifier reads the checkpoint key and file from it)
const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-cli-keys-'));

/** Raw SQL as the database owner, between tool runs. */
async function ownerSql(sql: string): Promise<void> {
  if (pgdb) {
    await pgdb.sql(sql);
    return;
  }
  const e = await openEmbedded(dataDir, 'test');
  try {
    await e.pglite.exec(sql);
  } finally {
    await e.close();
  }
}

beforeAll(async () => {
  if (embedded) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-cli-'));
    const e = await openEmbedded(dataDir, 'test');
    await deployMigrations(new PrismaPGlite(e.pglite));
    await prismaForPglite(e.pglite).$disconnect();
    await e.close();
    env = { MASKPATROL_DATA_DIR: dataDir, DATABASE_URL: undefined, MASKPATROL_KEYS_DIR: keysDir };
  } else {
    pgdb = await createTestDb();
    env = { DATABASE_URL: pgdb.url, MASKPATROL_KEYS_DIR: keysDir };
  }
});
afterAll(async () => {
  await pgdb?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(keysDir, { recursive: true, force: true });
});

describe(`command-line tools (${embedded ? 'embedded, no server running' : 'PostgreSQL'})`, () => {
  it('db:status reports the schema up to date', async () => {
    const r = await runCli('db-migrate.ts', ['status'], env);
    expect(r.stdout).toContain('database schema is up to date');
    expect(r.code).toBe(0);
  });

  it('users:create makes an account with a generated password, printed once, and refuses bad input', async () => {
    const r = await runCli('users-create.ts', ['--role', 'steward', '--username', 'cli-steward', '--generate'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created cli-steward \(steward on all wikis\)/);
    expect(r.stdout).toMatch(/Password \(shown once\): [A-Za-z0-9]{24}/);

    const piped = await runCli('users-create.ts', ['--role', 'admin', '--wiki', 'enwiki', '--username', 'cli-admin', '--password-stdin'], env, 'a fine long password\n');
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain('a fine long password');

    const weak = await runCli('users-create.ts', ['--role', 'admin', '--username', 'cli-weak', '--password-stdin'], env, 'weak\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/Password must be at least 12 characters/);
    expect(weak.stderr).not.toContain('weak\n');

    const noRole = await runCli('users-create.ts', ['--username', 'x'], env);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toMatch(/usage/);
  });

  it('audit:verify reports intact, then names the exact row modified in the database', async () => {
    const ok = await runCli('audit-verify.ts', [], env);
    expect(ok.stdout).toMatch(/audit chain intact: 2 row\(s\)/);
    expect(ok.code).toBe(0);

    await ownerSql(`ALTER TABLE audit_event DISABLE TRIGGER USER;
      UPDATE audit_event SET "actorName" = 'someone-else' WHERE seq = 1;
      ALTER TABLE audit_event ENABLE TRIGGER USER;`);
    const broken = await runCli('audit-verify.ts', [], env);
    expect(broken.stdout).toMatch(/audit chain BROKEN at seq 1: .*modified/);
    expect(broken.code).toBe(1);
  });

  it('audit:key prints the checkpoint public key; audit:verify checks checkpoints with it, and names a forged or lost one', async () => {
    const k = await runCli('audit-key.ts', [], env);
    expect(k.code).toBe(0);
    const pem = k.stdout.slice(k.stdout.indexOf('-----BEGIN'));
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // a validly signed checkpoint of a row the database does not have (its tail was deleted)
    const key = loadOrCreateSigningKey(keysDir);
    appendCheckpointFile(path.join(keysDir, 'audit-checkpoints.jsonl'), signCheckpoint(key, { seq: 99n, hash: 'e'.repeat(64) }));
    const r = await runCli('audit-verify.ts', [], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/also: the checkpoint at seq 99 \(file line 1\) is missing from the database \(deleted\)/);
    expect(r.stdout).toMatch(/a signed checkpoint records seq 99: rows after seq \d+ were deleted/);

    // a verifier without the key store: the public key alone proves the signature...
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-cli-verifier-'));
    try {
      const pubFile = path.join(elsewhere, 'audit.pem');
      fs.writeFileSync(pubFile, pem);
      const away = { ...env, MASKPATROL_KEYS_DIR: elsewhere, MASKPATROL_AUDIT_CHECKPOINT_FILE: path.join(keysDir, 'audit-checkpoints.jsonl') };
      const withPub = await runCli('audit-verify.ts', ['--public-key', pubFile], away);
      expect(withPub.stdout).not.toMatch(/forged/);
      expect(withPub.stdout).toMatch(/rows after seq \d+ were deleted/);
      // ...and without it the checkpoint counts as forged
      const without = await runCli('audit-verify.ts', [], away);
      expect(without.stdout).toMatch(/the checkpoint at seq 99 in the checkpoint file \(line 1\) is forged: it is signed by an unknown key/);
      expect(without.code).toBe(1);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
