import type { EditRow } from '@/lib/edits/queries';

/** Pure row-list operations of the live queue (unit-tested in tests/unit/queue-state.test.ts). */
export const MAX_ROWS = 10_000;

function newerFirst(a: EditRow, b: EditRow): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? 1 : -1;
  return BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0;
}

/** Add arrivals (a newer copy of a known row replaces it), newest first, keeping at most `max` rows. */
export function mergeRows(existing: readonly EditRow[], incoming: readonly EditRow[], max = MAX_ROWS): EditRow[] {
  if (!incoming.length) return existing as EditRow[];
  const fresh = new Map(incoming.map((r) => [r.id, r]));
  const kept = existing.filter((r) => !fresh.has(r.id));
  const out = [...fresh.values()].sort(newerFirst);
  // existing is already newest first: merge two sorted lists
  const merged: EditRow[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < max && (i < out.length || j < kept.length)) {
    if (j >= kept.length || (i < out.length && newerFirst(out[i]!, kept[j]!) <= 0)) merged.push(out[i++]!);
    else merged.push(kept[j++]!);
  }
  return merged;
}

export function applyReview(rows: readonly EditRow[], editId: string, review: EditRow['review']): EditRow[] {
  const k = rows.findIndex((r) => r.id === editId);
  if (k < 0) return rows as EditRow[];
  const next = rows.slice();
  next[k] = { ...rows[k]!, review };
  return next;
}

export function applyWhitelist(rows: readonly EditRow[], wiki: string, actorKey: string, whitelisted: boolean): EditRow[] {
  let changed = false;
  const next = rows.map((r) => {
    if (r.wiki !== wiki || r.actorKey !== actorKey || r.whitelisted === whitelisted) return r;
    changed = true;
    return { ...r, whitelisted };
  });
  return changed ? next : (rows as EditRow[]);
}
