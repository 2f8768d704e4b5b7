/**
 * npm run db:migrate            apply pending migrations
 * npm run db:status             report pending / edited / failed migrations (exit 1 unless up to date)
 * npm run db:migration -- NAME  write a new migration from changes to prisma/schema.prisma (no database needed)
 *
 * All offline, through Prisma's schema engine compiled to WebAssembly (lib/db/migrate.ts).
 */
import { createMigration, deployMigrations, migrationStatus } from '../lib/db/migrate';
import { runTool } from './cli';

const [command, name] = process.argv.slice(2);

if (command === 'create') {
  try {
    if (!name) throw new Error('usage: npm run db:migration -- <name>');
    const dir = await createMigration(name);
    console.log(dir ? `created ${dir}` : 'no schema changes: nothing to migrate');
    process.exit(0);
  } catch (err) {
    console.error(`db:migration: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

await runTool(`db:${command}`, async ({ adapterFactory, via }) => {
  if (command === 'deploy') {
    const applied = await deployMigrations(adapterFactory);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : `up to date (via ${via})`);
    return 0;
  }
  if (command === 'status') {
    const s = await migrationStatus(adapterFactory);
    console.log(`${s.total} migration(s) in prisma/migrations (database via ${via})`);
    if (s.pending.length) console.log(`pending: ${s.pending.join(', ')}`);
    if (s.edited.length) console.log(`edited after being applied: ${s.edited.join(', ')}`);
    if (s.failed.length) console.log(`failed: ${s.failed.join(', ')}`);
    if (s.unknown.length) console.log(`applied but missing from prisma/migrations: ${s.unknown.join(', ')}`);
    if (s.upToDate) console.log('database schema is up to date');
    return s.upToDate ? 0 : 1;
  }
  console.error('usage: db-migrate.ts deploy|status|create <name>');
  return 2;
});
