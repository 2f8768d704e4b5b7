import type { PrismaClient } from '../db/generated/client';
import { rangeDisplay } from '../edits/queries';
import type { IpMention, MaskedEdit, RangePseudonym } from '../masking/types';
import type { Scorer } from './score';

/**
 * The scorer's memory lives in the process. On start it is rebuilt from the edits already stored in the
 * last `hours` (at most `limit` of the newest), replayed in arrival order, so a restart does not forget who
 * was reverted an hour ago. Only what the scorer reads is rebuilt (pseudonyms and masked text; no vault).
 */
export async function warmScorer(prisma: PrismaClient, scorer: Scorer, opts: { hours?: number; limit?: number; now?: Date } = {}): Promise<number> {
  const since = new Date((opts.now ?? new Date()).getTime() - (opts.hours ?? 24) * 3_600_000);
  const rows = await prisma.edit.findMany({
    where: { ts: { gte: since } },
    orderBy: [{ ts: 'desc' }, { id: 'desc' }],
    take: opts.limit ?? 50_000,
    select: {
      wiki: true, sourceId: true, source: true, type: true, namespace: true, title: true, ts: true, epoch: true,
      actorKind: true, actorName: true, ipKey: true, ipFamily: true, range16: true, range24: true, range32: true,
      range48: true, range64: true, isAnon: true, isTemp: true, isBot: true, isMinor: true, isNew: true, comment: true,
      sizeOld: true, sizeNew: true, sizeDelta: true, tags: true, mentions: true,
    },
  });
  for (let i = rows.length - 1; i >= 0; i--) scorer.score(toMasked(rows[i]!));
  return rows.length;
}

type Row = {
  [K in 'wiki' | 'sourceId' | 'source' | 'type' | 'title' | 'epoch' | 'actorKind' | 'actorName']: string;
} & {
  namespace: number; ts: Date; ipKey: string | null; ipFamily: number | null;
  range16: string | null; range24: string | null; range32: string | null; range48: string | null; range64: string | null;
  isAnon: boolean; isTemp: boolean; isBot: boolean; isMinor: boolean; isNew: boolean; comment: string | null;
  sizeOld: number | null; sizeNew: number | null; sizeDelta: number | null; tags: string[]; mentions: unknown;
};

function toMasked(r: Row): MaskedEdit {
  const family = r.ipFamily === 6 ? 6 : 4;
  const cols: [number, string | null][] = family === 4 ? [[16, r.range16], [24, r.range24]] : [[32, r.range32], [48, r.range48], [64, r.range64]];
  const ranges: RangePseudonym[] = cols.flatMap(([prefix, key]) => (key ? [{ family, prefix, key, display: rangeDisplay(family, prefix, key) }] : []));
  const isIp = r.actorKind === 'ip';
  return {
    source: r.source as MaskedEdit['source'],
    wiki: r.wiki,
    sourceId: r.sourceId,
    rcId: null,
    revId: null,
    oldRevId: null,
    type: r.type as MaskedEdit['type'],
    namespace: r.namespace,
    timestamp: r.ts.toISOString(),
    isAnon: r.isAnon,
    isTemp: r.isTemp,
    isBot: r.isBot,
    isMinor: r.isMinor,
    isNew: r.isNew,
    isPatrolled: null,
    sizeOld: r.sizeOld,
    sizeNew: r.sizeNew,
    sizeDelta: r.sizeDelta,
    logType: null,
    logAction: null,
    country: null,
    ores: null,
    epoch: r.epoch,
    actor: { kind: r.actorKind as MaskedEdit['actor']['kind'], name: r.actorName, key: isIp ? r.ipKey : null, vaultId: null },
    ip: r.ipKey ? { family, key: r.ipKey, display: isIp ? r.actorName : '', ranges, vaultId: '' } : null,
    userAgent: null,
    title: r.title,
    comment: r.comment,
    parsedComment: null,
    logParams: null,
    tags: r.tags,
    serverUrl: null,
    mentions: Array.isArray(r.mentions) ? (r.mentions as IpMention[]) : [],
  };
}
