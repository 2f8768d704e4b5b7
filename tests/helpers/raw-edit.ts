import type { RawEdit } from '@/lib/feed/types';

let n = 0;
/** A plausible RawEdit for tests (a registered editor's edit unless overridden). */
export function rawEdit(over: Partial<RawEdit> = {}): RawEdit {
  n++;
  return {
    source: 'demo',
    wiki: 'enwiki',
    sourceId: `rc:${1000 + n}`,
    rcId: 1000 + n,
    revId: 5000 + n,
    oldRevId: 4000 + n,
    type: 'edit',
    namespace: 0,
    title: 'Example page',
    timestamp: '2026-03-01T12:00:00Z',
    user: 'Example user',
    isAnon: false,
    isTemp: false,
    isBot: false,
    isMinor: false,
    isNew: false,
    isPatrolled: null,
    comment: 'copyedit',
    parsedComment: 'copyedit',
    sizeOld: 100,
    sizeNew: 120,
    sizeDelta: 20,
    tags: [],
    logType: null,
    logAction: null,
    logParams: null,
    ip: null,
    userAgent: null,
    serverUrl: 'https://en.wikipedia.org',
    country: null,
    ores: null,
    ...over,
  };
}

/** An anonymous edit by `ip`. */
export const anonEdit = (ip: string, over: Partial<RawEdit> = {}) => rawEdit({ user: ip, isAnon: true, ...over });

/**
 * A vandal wave: temporary accounts `<prefix>-10`, `-11`, … editing from the addresses of `ips` (one each), three
 * rounds of page blanking five minutes apart; `at(minutesAgo)` gives each edit's time.
 */
export function waveEdits(ips: readonly string[], prefix: string, at: (minutesAgo: number) => string): RawEdit[] {
  const out: RawEdit[] = [];
  for (let round = 0; round < 3; round++)
    ips.forEach((ip, i) =>
      out.push(rawEdit({ user: `${prefix}-${10 + i}`, isTemp: true, ip, title: `Wave page ${round}`, comment: 'lol', sizeOld: 6000, sizeNew: 10, sizeDelta: -5990, timestamp: at(40 - round * 5 - i) })),
    );
  return out;
}
