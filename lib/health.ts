import fs from 'node:fs';
import path from 'node:path';
import { db } from './db/client';
import { prismaDir } from './db/paths';

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { reachable: boolean; driver: 'postgresql' | 'embedded' };
  migrations: { applied: number; pending: number; upToDate: boolean };
}

let version: string | undefined;
function appVersion(): string {
  if (!version) {
    try {
      version = (JSON.parse(fs.readFileSync(path.resolve(/*turbopackIgnore: true*/ 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

function migrationNames(): string[] {
  const dir = path.join(prismaDir(), 'migrations');
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** For /api/health: no secrets, no paths, no connection strings. */
export async function health(): Promise<Health> {
  const driver = process.env.DATABASE_URL ? 'postgresql' : 'embedded';
  let reachable = false;
  let applied = new Set<string>();
  try {
    const rows = await db().$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    reachable = true;
    applied = new Set(rows.map((r) => r.migration_name));
  } catch {
    try {
      await db().$queryRawUnsafe('SELECT 1');
      reachable = true;
    } catch {
      reachable = false;
    }
  }
  const expected = migrationNames();
  const pending = expected.filter((m) => !applied.has(m)).length;
  const upToDate = reachable && pending === 0;
  return {
    status: upToDate ? 'ok' : 'degraded',
    version: appVersion(),
    database: { reachable, driver },
    migrations: { applied: applied.size, pending, upToDate },
  };
}
