import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '@/lib/audit/chain';
import { generateSigningKey } from '@/lib/audit/signing';
import { writeCheckpoint } from '@/lib/audit/checkpoint';
import { verifyChain } from '@/lib/audit/chain';
import { prismaForPg } from '@/lib/db/client';
import type { PrismaClient } from '@/lib/db/generated/client';
import { createUser } from '@/lib/services/user-create';
import { SYSTEM } from '../helpers/actors';
import { runCli } from '../helpers/cli';
import { createTestDb, testDatabaseUrl, type TestDb } from '../helpers/db';

/**
 * PostgreSQL: the application's role made by `npm run db:roles` is refused UPDATE, DELETE and TRUNCATE on the
 * audit tables by its grants (and cannot switch the triggers off), while it appends, checkpoints and runs verbs.
 */
const onPg = process.env.TEST_DB === 'postgres';
const role = `mp_app_${randomBytes(4).toString('hex')}`;
let t: TestDb;
let app: pg.Client;
let appPrisma: PrismaClient;

describe.skipIf(!onPg)('the application role on PostgreSQL', () => {
  beforeAll(async () => {
    t = await createTestDb();
    await createUser({ actor: SYSTEM, db: t.prisma }, { username: 'made-by-owner' });
    const r = await runCli('db-roles.ts', ['--role', role, '--password-stdin'], { DATABASE_URL: t.url }, 'not-used-locally-0123\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`created role ${role}`));
    expect(r.stdout).toMatch(/audit_event: SELECT yes, INSERT yes, UPDATE no, DELETE no, TRUNCATE no/);
    expect(r.stdout).toMatch(/audit_checkpoint: SELECT yes, INSERT yes, UPDATE no, DELETE no, TRUNCATE no/);
    const u = new URL(t.url!);
    u.username = role;
    u.password = 'not-used-locally-0123';
    app = new pg.Client({ connectionString: u.toString() });
    await app.connect();
    appPrisma = prismaForPg({ connectionString: u.toString(), max: 2 });
  });
  afterAll(async () => {
    await app?.end();
    await appPrisma?.$disconnect();
    await t?.close();
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('appends audit rows, takes checkpoints and runs verbs', async () => {
    expect((await app.query('SELECT current_user AS u')).rows[0].u).toBe(role);
    await appPrisma.$transaction((tx) => appendAudit(tx, { action: 'user.enable', actor: SYSTEM, targetId: 'as-app' }));
    await createUser({ actor: SYSTEM, db: appPrisma }, { username: 'made-by-app' });
    expect(await writeCheckpoint(appPrisma, generateSigningKey())).toMatchObject({ seq: 3n });
    expect(await verifyChain(appPrisma)).toMatchObject({ ok: true, rows: 3 });
  });

  it('is refused UPDATE, DELETE and TRUNCATE on audit_event and audit_checkpoint, and cannot disable their triggers', async () => {
    for (const table of ['audit_event', 'audit_checkpoint']) {
      for (const sql of [`UPDATE ${table} SET hash = hash`, `DELETE FROM ${table}`, `TRUNCATE ${table}`, `ALTER TABLE ${table} DISABLE TRIGGER USER`]) {
        const err = await app.query(sql).then(
          () => null,
          (e: { code?: string; message?: string }) => e,
        );
        expect(err, sql).not.toBeNull();
        // 42501 insufficient_privilege (grants) / 42501 must be owner
        expect(err!.code, `${sql}: ${err!.message}`).toBe('42501');
        expect(err!.message).not.toMatch(/append-only/); // refused by the grants, before any trigger
      }
    }
    expect(await verifyChain(t.prisma)).toMatchObject({ ok: true, rows: 3 });
  });

  it('refuses a role that owns the audit tables', async () => {
    const [row] = await t.sql(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'audit_event'`);
    const owner = String(row!.owner);
    const r = await runCli('db-roles.ts', ['--role', owner], { DATABASE_URL: t.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/owns the audit tables/);
  });
});

describe.skipIf(onPg)('db:roles on the embedded database', () => {
  it('explains that it is for PostgreSQL', async () => {
    const r = await runCli('db-roles.ts', ['--role', 'maskpatrol_app'], { DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PostgreSQL only/);
  });
});
