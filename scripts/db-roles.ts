/**
 * npm run db:roles -- --role NAME [--password-stdin] [--print]
 * PostgreSQL only. Run as the tables' owner (DATABASE_URL of the role that runs db:migrate), after every
 * migration: creates or updates the application's role NAME with SELECT/INSERT/UPDATE/DELETE on the tables,
 * but only SELECT/INSERT on audit_event and audit_checkpoint (no UPDATE, DELETE, TRUNCATE), and checks that
 * the append-only triggers are there. --print writes the SQL instead of running it. Then start maskpatrol
 * with DATABASE_URL for NAME and MASKPATROL_MIGRATE_ON_START=false (README "PostgreSQL roles").
 */
import fs from 'node:fs';
import pg from 'pg';
import { appRoleSql, AUDIT_TABLES, setupAppRole, tablePrivileges } from '../lib/db/roles';
import { flag, option } from './cli';

const args = process.argv.slice(2);
const role = option(args, 'role');
if (!role) {
  console.error('usage: npm run db:roles -- --role NAME [--password-stdin] [--print]');
  process.exit(2);
}

try {
  const password = flag(args, 'password-stdin') ? fs.readFileSync(0, 'utf8').split('\n')[0] : undefined;
  if (flag(args, 'print')) {
    console.log(appRoleSql(role, '<database>', password === undefined ? undefined : '<password>'));
    process.exit(0);
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('PostgreSQL only: set DATABASE_URL to the owner of the tables (the embedded database has no roles).');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await setupAppRole(client, role, password);
    console.log(`${r.created ? 'created' : 'updated'} role ${role}`);
    for (const t of AUDIT_TABLES) {
      const p = await tablePrivileges(client, role, t);
      console.log(`  ${t}: ${Object.entries(p).map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ')}`);
    }
  } finally {
    await client.end();
  }
  process.exit(0);
} catch (err) {
  console.error(`db:roles: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
