import { createHash } from 'node:crypto';
import pg from 'pg';
import { socketDirFor, socketPoolConfig } from '../../lib/db/socket';
import { serialise } from '../../tests/helpers/leaks';
import { DATA_DIR } from '../fixtures';

/**
 * The e2e server's database, read through its socket (as its own CLI tools reach it): for a full dump (the leak
 * crawl) and for "nothing changed" checks (CSRF). Read-only queries only.
 */
export async function withDb<T>(fn: (sql: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const c = new pg.Client(socketPoolConfig(socketDirFor(DATA_DIR), 1));
  await c.connect();
  try {
    return await fn(async (text, params) => (await c.query(text, params as unknown[])).rows as Record<string, unknown>[]);
  } finally {
    await c.end();
  }
}

/**
 * Tables a forged request could change: accounts, roles, second factors, the audit trail, reviews, whitelist,
 * hides, blocks, reveals. Not the ingest tables (the demo feed writes them all the time), the sign-in throttle,
 * nor audit checkpoints (a timer takes them; they follow audit rows, which are compared).
 */
export const STATE_TABLES = [
  'user_account',
  'role_assignment',
  'recovery_code',
  'audit_event',
  'edit_review',
  'whitelist_entry',
  'edit_hide',
  'reveal_holder',
  'reveal',
  'reveal_request',
  'block',
] as const;

/** One digest per state table over all its rows (ordered by their serialised form), and the row counts. */
export async function stateDigest(): Promise<Record<string, string>> {
  return withDb(async (sql) => {
    const out: Record<string, string> = {};
    for (const t of STATE_TABLES) {
      const rows = (await sql(`SELECT * FROM "${t}"`)).map((r) => serialise(r)).sort();
      out[t] = `${rows.length} rows, ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
    }
    return out;
  });
}
