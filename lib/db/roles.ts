import pg from 'pg';

/**
 * PostgreSQL role setup (`npm run db:roles`): the application connects as a role of its own that does NOT
 * own the tables (an owner can disable triggers) and holds no UPDATE, DELETE, TRUNCATE, TRIGGER or
 * REFERENCES on the audit tables: the trail is append-only for it twice over — by grants, and by the
 * triggers of the migrations, which refuse UPDATE/DELETE/TRUNCATE even to roles that have the grants.
 * Run it as the owner (the role that runs `npm run db:migrate`) after every migration; default
 * privileges cover tables that later migrations create, the explicit REVOKE keeps the audit tables closed.
 */
export const AUDIT_TABLES = ['audit_event', 'audit_checkpoint'] as const;
const TRIGGERS = ['audit_event_no_update_delete', 'audit_event_no_truncate', 'audit_checkpoint_no_update_delete', 'audit_checkpoint_no_truncate'];

export function assertRoleName(role: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error('The role name must be lower-case letters, digits and underscores.');
  return role;
}

/** The statements, for `--print` and for applying. The password is a literal, escaped by the driver's rules. */
export function appRoleSql(role: string, database: string, password?: string): string {
  const r = `"${assertRoleName(role)}"`;
  const db = `"${database.replace(/"/g, '""')}"`;
  const audit = AUDIT_TABLES.map((t) => `"${t}"`).join(', ');
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${r} LOGIN; END IF; END $$;`,
    `ALTER ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password === undefined ? '' : ` PASSWORD ${pg.escapeLiteral(password)}`};`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${r};`,
    `GRANT USAGE ON SCHEMA public TO ${r};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r};`,
    `REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON ${audit} FROM ${r};`,
    `GRANT SELECT, INSERT ON ${audit} TO ${r};`,
    `REVOKE ALL ON "_prisma_migrations" FROM ${r};`,
    `GRANT SELECT ON "_prisma_migrations" TO ${r};`,
  ].join('\n');
}

export interface RoleSetupResult {
  role: string;
  created: boolean;
}

/** Apply the role setup on the database `client` is connected to (as the tables' owner). */
export async function setupAppRole(client: pg.Client, role: string, password?: string): Promise<RoleSetupResult> {
  assertRoleName(role);
  const triggers = await client.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgname = ANY($1)`, [TRIGGERS]);
  if (triggers.rowCount !== TRIGGERS.length)
    throw new Error('The append-only triggers of the audit tables are missing: run `npm run db:migrate` first (as the owner).');
  const owns = await client.query(
    `SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) AND tableowner = $2`,
    [[...AUDIT_TABLES], role],
  );
  if (owns.rowCount) throw new Error(`The role ${role} owns the audit tables: an owner can switch their triggers off. Give the application a role of its own.`);
  const existed = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount === 1;
  const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  await client.query('BEGIN');
  try {
    await client.query(appRoleSql(role, rows[0]!.db, password));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  return { role, created: !existed };
}

/** What the role may do on a table (has_table_privilege), for the tool's report and the tests. */
export async function tablePrivileges(client: pg.Client, role: string, table: string): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const p of ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'])
    out[p] = (await client.query<{ ok: boolean }>('SELECT has_table_privilege($1, $2, $3) AS ok', [role, table, p])).rows[0]!.ok;
  return out;
}
