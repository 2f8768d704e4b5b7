import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgMigrationFactory, prismaForPg, prismaForPglite, setDb } from '@/lib/db/client';
import type { PrismaClient } from '@/lib/db/generated/client';
import { deployMigrations } from '@/lib/db/migrate';

/**
 * A fresh, migrated database for one integration test file, on the driver the project runs with
 * (TEST_DB=pglite: in-memory PGlite; TEST_DB=postgres: a new database on TEST_DATABASE_URL's server,
 * dropped afterwards). Refuses any server that is not on this machine.
 */
export interface TestDb {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** raw SQL as the database owner (bypasses the app's rules, like an attacker with DB access would) */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** PostgreSQL only: a connection URL for child processes (CLI tools) */
  url?: string;
  /** PGlite only: the instance (e.g. dumpDataDir() to copy the whole database) */
  pglite?: PGlite;
  close(): Promise<void>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host))
    throw new Error(`Refusing to run tests against a non-local database (${host}).`);
}

export async function createTestDb(): Promise<TestDb> {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  if (kind === 'pglite') {
    const pglite = await PGlite.create();
    const factory = new PrismaPGlite(pglite);
    await deployMigrations(factory);
    const prisma = prismaForPglite(pglite);
    setDb(prisma);
    return {
      kind,
      prisma,
      factory,
      pglite,
      sql: async (text, params) => (await pglite.query<Record<string, unknown>>(text, params as never[])).rows,
      async close() {
        setDb(undefined);
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  const admin = testDatabaseUrl();
  assertLocal(admin);
  const name = `mp_test_${randomBytes(6).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}`);
  await adminClient.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const factory = pgMigrationFactory({ connectionString: url });
  await deployMigrations(factory);
  const prisma = prismaForPg({ connectionString: url, max: 10 });
  setDb(prisma);
  const raw = new pg.Pool({ connectionString: url, max: 2 });
  return {
    kind,
    prisma,
    factory,
    url,
    sql: async (text, params) => (await raw.query(text, params)).rows,
    async close() {
      setDb(undefined);
      await prisma.$disconnect();
      await raw.end();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
