import pg from 'pg';
import { appPoolConfig } from './client';

/**
 * A plain SQL client for the ingest hot path: storing a batch is one statement whose parameters are a few
 * hundred kilobytes of JSON, and going through Prisma's raw-query path costs the ingest thread about twice the
 * CPU of handing them to `pg` directly (bench/ingest.ts). Everything else uses Prisma (lib/db/client.ts).
 * Same database as `db()`: DATABASE_URL, or the embedded PGlite's Unix socket under `npm start`.
 */
export interface Sql {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

const g = globalThis as unknown as { __maskpatrolSql?: pg.Pool };

export function sqlPool(): Sql {
  if (g.__maskpatrolSql) return g.__maskpatrolSql;
  g.__maskpatrolSql = new pg.Pool(appPoolConfig(2));
  // an idle client's connection dropping (database restart) must not crash the process; the next query reconnects
  g.__maskpatrolSql.on('error', () => {});
  return g.__maskpatrolSql;
}

/** Close the pool (server shutdown, tools). */
export async function closeSqlPool(): Promise<void> {
  const p = g.__maskpatrolSql;
  g.__maskpatrolSql = undefined;
  await p?.end();
}
