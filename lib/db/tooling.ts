import fs from 'node:fs';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaClient } from './generated/client';
import { pgMigrationFactory, prismaForPg, prismaForPglite, setDb } from './client';
import { openEmbedded } from './embedded';
import { liveOwner } from './lock';
import { socketPathFor, socketPoolConfig, socketDirFor } from './socket';

export interface ToolDb {
  prisma: PrismaClient;
  /** for the schema engine (migrations) */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** how this tool reached the database, for its output */
  via: 'postgresql' | 'running-server' | 'embedded-direct';
}

/**
 * How a command-line tool (migrate, users:create, audit:verify, …) reaches the database:
 * - DATABASE_URL set: PostgreSQL;
 * - an embedded server owns the data directory: through that server's Unix socket, never the files;
 * - nobody owns it: lock it and open PGlite directly for the duration of the tool.
 */
export async function withToolDb<T>(dataDir: string, name: string, fn: (db: ToolDb) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (url) return run({ connectionString: url, max: 4 }, 'postgresql', fn);
  const owner = liveOwner(dataDir);
  if (owner) {
    if (!fs.existsSync(socketPathFor(dataDir)))
      throw new Error(
        `A maskpatrol server (pid ${owner.pid}) owns ${dataDir} but is not accepting connections yet; try again in a few seconds.`,
      );
    return run(socketPoolConfig(socketDirFor(dataDir), 4), 'running-server', fn);
  }
  const embedded = await openEmbedded(dataDir, name);
  const prisma = prismaForPglite(embedded.pglite);
  setDb(prisma);
  try {
    return await fn({ prisma, adapterFactory: new PrismaPGlite(embedded.pglite), via: 'embedded-direct' });
  } finally {
    setDb(undefined);
    await prisma.$disconnect().catch(() => {});
    await embedded.close();
  }
}

async function run<T>(config: import('pg').PoolConfig, via: ToolDb['via'], fn: (db: ToolDb) => Promise<T>): Promise<T> {
  const prisma = prismaForPg(config);
  setDb(prisma);
  try {
    return await fn({ prisma, adapterFactory: pgMigrationFactory(config), via });
  } finally {
    setDb(undefined);
    await prisma.$disconnect().catch(() => {});
  }
}
