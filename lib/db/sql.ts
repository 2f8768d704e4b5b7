import pg from 'pg';
import { socketPoolConfig } from './socket';

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
  const url = process.env.DATABASE_URL;
  const socketDir = process.env.MASKPATROL_DB_SOCKET_DIR;
  if (url) g.__maskpatrolSql = new pg.Pool({ connectionString: url, max: 2 });
  else if (socketDir) g.__maskpatrolSql = new pg.Pool(socketPoolConfig(socketDir, 2));
  else throw new Error('No database configured. Start maskpatrol with `npm start` (embedded database) or set DATABASE_URL.');
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
