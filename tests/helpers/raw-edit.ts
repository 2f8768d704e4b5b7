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
