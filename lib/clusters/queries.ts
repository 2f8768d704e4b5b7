import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { ForbiddenError } from '../errors';

/** What a patroller sees of a cluster: pseudonyms, masked titles, counts and reasons. */
export interface ClusterRow {
  id: string;
  label: string;
  status: string;
  wikis: string[];
  memberCount: number;
  editCount: number;
  heat: number;
  firstSeen: string;
  lastSeen: string;
  reasons: string[];
  members: { display: string; kind: string; edits: number }[];
  pages: { wiki: string; title: string; edits: number }[];
}

/** A short, stable label for a cluster id (a UUID): "C-1A2B3C". */
export function clusterLabel(id: string): string {
  return `C-${id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

function asArray<T>(v: unknown, pick: (x: Record<string, unknown>) => T | null): T[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    if (!x || typeof x !== 'object') return [];
    const r = pick(x as Record<string, unknown>);
    return r === null ? [] : [r];
  });
}

/** Clusters on the wikis the actor may patrol: open ones by heat, or the most recent of any status. */
export async function listClusters(actor: Actor, opts: { status?: 'active' | 'all'; limit?: number } = {}): Promise<ClusterRow[]> {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  const wikis = wikisWith(actor, 'queue.view');
  const active = (opts.status ?? 'active') === 'active';
  const rows = await db().cluster.findMany({
    where: {
      status: active ? 'active' : { not: 'merged' },
      ...(wikis === '*' ? {} : { wikis: { hasSome: wikis } }),
    },
    orderBy: active ? [{ heat: 'desc' }] : [{ lastSeen: 'desc' }],
    take: Math.min(opts.limit ?? 100, 500),
  });
  return rows.map((r) => {
    const detail = (r.detail ?? {}) as Record<string, unknown>;
    return {
      id: r.id,
      label: clusterLabel(r.id),
      status: r.status,
      wikis: r.wikis,
      memberCount: r.memberCount,
      editCount: r.editCount,
      heat: r.heat,
      firstSeen: r.firstSeen.toISOString(),
      lastSeen: r.lastSeen.toISOString(),
      reasons: Array.isArray(r.reasons) ? r.reasons.filter((x): x is string => typeof x === 'string') : [],
      members: asArray(detail.members, (m) =>
        typeof m.display === 'string' ? { display: m.display, kind: String(m.kind ?? ''), edits: Number(m.edits ?? 0) } : null,
      ),
      pages: asArray(detail.pages, (p) =>
        typeof p.title === 'string' ? { wiki: String(p.wiki ?? ''), title: p.title, edits: Number(p.edits ?? 0) } : null,
      ),
    };
  });
}
