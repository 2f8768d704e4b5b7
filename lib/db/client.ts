import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client';
import { socketPoolConfig } from './socket';

export type Db = PrismaClient;
/** The client handed to a transaction callback. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** A Prisma client on PostgreSQL (or on the embedded PGlite through its local socket). */
export function prismaForPg(config: string | pg.PoolConfig): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(config) });
}

/** A Prisma client directly on an in-process PGlite (tests, tools while no server runs). */
export function prismaForPglite(db: PGlite): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPGlite(db) });
}

const g = globalThis as unknown as { __maskpatrolDb?: PrismaClient };

/**
 * The application's database client.
 * - DATABASE_URL set: PostgreSQL.
 * - MASKPATROL_DB_SOCKET_DIR set (by `npm start` on the embedded default): the server's PGlite,
 *   shared over a Unix socket in the data directory.
 * Opened lazily on first use, so `next build` never touches a database.
 */
export function db(): PrismaClient {
  if (g.__maskpatrolDb) return g.__maskpatrolDb;
  g.__maskpatrolDb = prismaForPg(appPoolConfig(10, 8));
  return g.__maskpatrolDb;
}

/**
 * Connection settings of the application's database (see db()), with `max` connections on PostgreSQL and
 * `socketMax` over the embedded database's socket. Throws when neither is configured.
 */
export function appPoolConfig(max: number, socketMax = max): pg.PoolConfig {
  const url = process.env.DATABASE_URL;
  const socketDir = process.env.MASKPATROL_DB_SOCKET_DIR;
  if (url) return { connectionString: url, max };
  if (socketDir) return socketPoolConfig(socketDir, socketMax);
  throw new Error('No database configured. Start maskpatrol with `npm start` (embedded database) or set DATABASE_URL.');
}

/** Install a client as the application's (start script, tools, tests). */
export function setDb(client: PrismaClient | undefined): void {
  g.__maskpatrolDb = client;
}

/**
 * The adapter factory the schema engine uses for migrations on PostgreSQL. @prisma/adapter-pg runs a
 * migration script by splitting it on every ";" — which breaks any function body (our audit trigger).
 * This one sends the whole script as one simple-protocol query instead: PostgreSQL runs it as a single
 * implicit transaction, so a migration applies completely or not at all.
 */
export function pgMigrationFactory(config: string | pg.PoolConfig): PrismaPg {
  return new WholeScriptPg(config);
}

class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        // the adapter's own mapping to Prisma's driver-adapter errors
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}
