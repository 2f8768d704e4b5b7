import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prismaDir } from './paths';

/**
 * Prisma migrations, offline: Prisma's own schema engine compiled to WebAssembly
 * (@prisma/schema-engine-wasm) driven through a driver adapter, so the same standard
 * prisma/migrations folder and `_prisma_migrations` table work on PGlite and PostgreSQL without any
 * engine download. `prisma migrate deploy` on a machine with the native engine agrees with it.
 */
type Bg = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
type Engine = Awaited<ReturnType<Bg['SchemaEngine']['new']>>;
type MigrationList = Parameters<Engine['applyMigrations']>[0]['migrationsList'];

const PRISMA_DIR = prismaDir;
const SCHEMA_FILE = () => path.join(PRISMA_DIR(), 'schema.prisma');
const MIGRATIONS_DIR = () => path.join(PRISMA_DIR(), 'migrations');
const NO_FILTER = { externalTables: [], externalEnums: [] };

let bgPromise: Promise<Bg> | undefined;

async function loadBg(): Promise<Bg> {
  bgPromise ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    // the .wasm file is not in the package's exports: find it next to the package.json
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return bgPromise;
}

async function withEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (e: Engine) => Promise<T>): Promise<T> {
  const bg = await loadBg();
  const schema = fs.readFileSync(SCHEMA_FILE(), 'utf8');
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[SCHEMA_FILE(), schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

export function readMigrationsList(): MigrationList {
  const baseDir = MIGRATIONS_DIR();
  const dirs = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `missing ${name}/migration.sql` },
        },
      };
    }),
  };
}

/** Apply every pending migration; returns the names applied now. */
export async function deployMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withEngine(factory, async (e) => {
    const out = await e.applyMigrations({ migrationsList: readMigrationsList(), filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
}

export interface MigrationStatus {
  total: number;
  pending: string[];
  edited: string[];
  failed: string[];
  /** applied in the database but missing from prisma/migrations */
  unknown: string[];
  upToDate: boolean;
}

export async function migrationStatus(factory: SqlMigrationAwareDriverAdapterFactory): Promise<MigrationStatus> {
  return withEngine(factory, async (e) => {
    const list = readMigrationsList();
    const d = await e.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTER });
    const h = d.history;
    const pending = !h
      ? []
      : h.diagnostic === 'databaseIsBehind'
        ? h.unappliedMigrationNames
        : h.diagnostic === 'historiesDiverge'
          ? h.unappliedMigrationNames
          : [];
    const unknown = !h ? [] : h.diagnostic === 'databaseIsBehind' ? [] : h.unpersistedMigrationNames;
    const allPending = d.hasMigrationsTable ? pending : list.migrationDirectories.map((m) => m.path);
    return {
      total: list.migrationDirectories.length,
      pending: allPending,
      edited: d.editedMigrationNames,
      failed: d.failedMigrationNames,
      unknown,
      upToDate: allPending.length === 0 && d.editedMigrationNames.length === 0 && d.failedMigrationNames.length === 0 && unknown.length === 0,
    };
  });
}

/**
 * Write prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the schema produced by
 * the existing migrations to prisma/schema.prisma. Needs no database: the existing migrations are replayed
 * into an in-memory PGlite shadow. Returns the new directory, or null when there is nothing to migrate.
 */
export async function createMigration(name: string): Promise<string | null> {
  if (!/^[a-z0-9_]{1,60}$/.test(name)) throw new Error('Migration name: 1-60 characters of a-z, 0-9 and _');
  const lock = path.join(MIGRATIONS_DIR(), 'migration_lock.toml');
  if (!fs.existsSync(lock)) {
    fs.mkdirSync(MIGRATIONS_DIR(), { recursive: true });
    fs.writeFileSync(lock, '# Written by `npm run db:migration`; keep it in version control.\nprovider = "postgresql"\n');
  }
  const shadow = new PGlite();
  try {
    const sql = await withEngine(new PrismaPGlite(shadow), async (e) => {
      const schema = fs.readFileSync(SCHEMA_FILE(), 'utf8');
      const out = await e.diff({
        from: { tag: 'migrations', ...readMigrationsList() },
        to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE(), content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      });
      return out.stdout ?? '';
    });
    if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) return null;
    const stamp = new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR(), `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    return dir;
  } finally {
    await shadow.close();
  }
}
