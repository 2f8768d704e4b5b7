import type { Actor } from '../auth/permissions';
import { listClusters, type ClusterRow } from '../clusters/queries';
import { db } from '../db/client';
import { readableWikis, wikiClause, type ScoreBin } from '../entities/common';

/** The overview: the last hour's traffic by wiki, its score distribution and the hottest clusters. */
export interface Overview {
  /** window start and end (epoch ms) */
  from: number;
  to: number;
  /** the busiest wikis of the hour (at most MAX_WIKIS; the rest summed as "other") */
  wikis: string[];
  /** one point per minute: { t, [wiki]: edits } */
  perMinute: ({ t: number } & Record<string, number>)[];
  editsLastHour: number;
  scores: ScoreBin[];
  hottest: ClusterRow[];
}

const MAX_WIKIS = 6;
const MINUTE = 60_000;

export async function overview(actor: Actor, now = Date.now()): Promise<Overview> {
  const wikis = readableWikis(actor);
  const to = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  const from = to - 60 * MINUTE;
  const [rows, hist, hottest] = await Promise.all([
    db().$queryRaw<{ wiki: string; m: bigint; n: number }[]>`
      SELECT wiki, (extract(epoch FROM date_trunc('minute', ts)) * 1000)::bigint AS m, count(*)::int AS n
        FROM edit WHERE ts >= ${new Date(from)} AND ts < ${new Date(to)} AND ${wikiClause(wikis)} GROUP BY 1, 2`,
    db().$queryRaw<{ bin: number; n: number }[]>`
      SELECT least(floor(score * 10), 9)::int AS bin, count(*)::int AS n
        FROM edit WHERE ts >= ${new Date(from)} AND ts < ${new Date(to)} AND score IS NOT NULL AND ${wikiClause(wikis)} GROUP BY 1`,
    listClusters(actor, { status: 'active', limit: 5 }),
  ]);
  const perWiki = new Map<string, number>();
  for (const r of rows) perWiki.set(r.wiki, (perWiki.get(r.wiki) ?? 0) + r.n);
  const ranked = [...perWiki].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([w]) => w);
  const shown = ranked.length > MAX_WIKIS ? [...ranked.slice(0, MAX_WIKIS - 1), 'other'] : ranked;
  const points = Array.from({ length: 60 }, (_, i) => {
    const p: { t: number } & Record<string, number> = { t: from + i * MINUTE } as { t: number } & Record<string, number>;
    for (const w of shown) p[w] = 0;
    return p;
  });
  for (const r of rows) {
    const p = points[Math.floor((Number(r.m) - from) / MINUTE)];
    if (!p) continue;
    const w = shown.includes(r.wiki) ? r.wiki : 'other';
    p[w] = (p[w] ?? 0) + r.n;
  }
  const scores = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, edits: 0 }));
  for (const h of hist) if (scores[h.bin]) scores[h.bin]!.edits = h.n;
  return {
    from,
    to,
    wikis: shown,
    perMinute: points,
    editsLastHour: [...perWiki.values()].reduce((a, b) => a + b, 0),
    scores,
    hottest,
  };
}
