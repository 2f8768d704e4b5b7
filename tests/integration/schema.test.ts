import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationStatus } from '@/lib/db/migrate';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

/** Everything that defines the schema, in a driver-independent, ordered form. */
async function schemaDump() {
  const columns = await t.sql(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
    ORDER BY table_name, column_name`);
  const indexes = await t.sql(`
    SELECT tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`);
  const constraints = await t.sql(`
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
    FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
      AND contype <> 'n' -- PostgreSQL 18 (PGlite) also lists NOT NULL here; columns already carry it
      AND conrelid::regclass::text <> '_prisma_migrations'
    ORDER BY 1, 2`);
  const triggers = await t.sql(`
    SELECT event_object_table, trigger_name, event_manipulation, action_timing
    FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3`);
  const enums = await t.sql(`
    SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`);
  return { columns, indexes, constraints, triggers, enums };
}

describe('migrations', () => {
  it('are all applied and nothing is pending or edited', async () => {
    const s = await migrationStatus(t.factory);
    expect(s).toMatchObject({ pending: [], edited: [], failed: [], unknown: [], upToDate: true });
    expect(s.total).toBeGreaterThan(0);
  });

  it('produce the same schema on PGlite and PostgreSQL (one committed snapshot for both)', async () => {
    await expect(JSON.stringify(await schemaDump(), null, 1)).toMatchFileSnapshot('./__snapshots__/schema.json');
  });
});
