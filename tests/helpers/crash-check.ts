import { exactlyOnce, storedKeys } from './ingest';

/**
 * The exactly-once check after a crashed-and-resumed replay, as one function so it can be tested against
 * planted faults (tests/integration/crash-check.test.ts): the stored edits equal the input (no gap, no
 * extra, no duplicate row), the feed's cursor and counter committed with them, no vault row outlived a
 * rolled-back batch and every IP edit has its vault row. Returns the problems found (empty: consistent).
 */
type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface CrashExpectation {
  /** identities (wiki + sourceId) of every event the input holds, in order */
  keys: string[];
  /** the feed's name (cursor row) */
  feed: string;
  /** the cursor after the last input line */
  cursor: string;
}

const count = async (sql: Sql, text: string) => Number((await sql(text))[0]!.n);

export async function crashProblems(sql: Sql, want: CrashExpectation): Promise<string[]> {
  const problems: string[] = [];
  const stored = await storedKeys(sql);
  const diff = exactlyOnce(stored, want.keys);
  if (diff.missing) problems.push(`${diff.missing} input event(s) missing (gap)`);
  if (diff.extra) problems.push(`${diff.extra} stored event(s) not in the input`);
  if (diff.duplicates) problems.push(`${diff.duplicates} duplicate row(s) of the same event`);
  const distinct = await count(sql, `SELECT count(DISTINCT (wiki, "sourceId"))::int AS n FROM edit`);
  if (distinct !== new Set(want.keys).size && !diff.missing && !diff.extra) problems.push(`distinct stored events ${distinct}, input ${want.keys.length}`);
  const state = (await sql(`SELECT cursor, "eventsTotal"::int AS e FROM feed_state WHERE feed = $1`, [want.feed]))[0];
  if (!state) problems.push('the feed has no stored cursor');
  else {
    if (state.cursor !== want.cursor) problems.push(`stored cursor ${String(state.cursor)}, expected ${want.cursor}`);
    if (state.e !== stored.length) problems.push(`eventsTotal ${String(state.e)} disagrees with ${stored.length} stored edits`);
  }
  const orphanVault = await count(
    sql,
    `SELECT count(*)::int AS n FROM vault_record v WHERE NOT EXISTS (SELECT 1 FROM edit e WHERE e."vaultId" = v.id)
      AND NOT EXISTS (SELECT 1 FROM edit e, jsonb_array_elements(COALESCE(e.mentions, '[]'::jsonb)) m WHERE (m->>'vaultId')::uuid = v.id)`,
  );
  if (orphanVault) problems.push(`${orphanVault} vault row(s) without their edit`);
  const noVault = await count(sql, `SELECT count(*)::int AS n FROM edit e WHERE e."actorKind" = 'ip' AND NOT EXISTS (SELECT 1 FROM vault_record v WHERE v.id = e."vaultId")`);
  if (noVault) problems.push(`${noVault} IP edit(s) without their vault row`);
  return problems;
}
