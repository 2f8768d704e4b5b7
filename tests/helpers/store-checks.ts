import type { TestDb } from './db';

/**
 * Database-side tools of the ingest store tests: triggers that refuse or fail on purpose, and the vault
 * bookkeeping check (every vault row belongs to a stored edit, every referenced row exists).
 */

/** A BEFORE INSERT trigger `name` on `table` running `body` (PL/pgSQL statements) when `when` holds. */
export async function sqlTrigger(t: TestDb, name: string, table: string, when: string, body: string, level: 'ROW' | 'STATEMENT' = 'ROW') {
  const ret = level === 'ROW' ? 'RETURN NEW;' : 'RETURN NULL;';
  await t.sql(`CREATE OR REPLACE FUNCTION test_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; ${ret} END $$`);
  const cond = level === 'ROW' ? ` WHEN (${when})` : '';
  await t.sql(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ${level}${cond} EXECUTE FUNCTION test_${name}()`);
}

/** Vault rows, the distinct vault ids stored edits refer to (actor and mentions), and referenced ids with no row. */
export async function countVault(t: TestDb): Promise<{ rows: number; referenced: number; missing: number }> {
  const r = await t.sql(`WITH ref AS (
      SELECT "vaultId" AS id FROM edit WHERE "vaultId" IS NOT NULL
      UNION SELECT (m->>'vaultId')::uuid FROM edit, jsonb_array_elements(COALESCE(mentions, '[]'::jsonb)) m)
    SELECT (SELECT count(*) FROM vault_record)::int AS rows, (SELECT count(*) FROM ref)::int AS referenced,
      (SELECT count(*) FROM ref LEFT JOIN vault_record v ON v.id = ref.id WHERE v.id IS NULL)::int AS missing`);
  return r[0] as { rows: number; referenced: number; missing: number };
}
