/**
 * The normalised recent-change event every source adapter produces (EventStreams, Action API, the 2015
 * IRC-feed replay, the demo generator, the signed /api/ingest endpoint), BEFORE the masking boundary.
 * A RawEdit may hold raw IP addresses (in `user` for anonymous edits, in `ip`, and inside any text
 * field): it must never be persisted, logged or returned — only lib/masking turns it into a MaskedEdit.
 */
export type SourceKind = 'eventstreams' | 'action-api' | 'irc-2015' | 'demo' | 'ingest-api';

export type ChangeType = 'edit' | 'new' | 'log' | 'categorize' | 'external';

export interface RawEdit {
  source: SourceKind;
  /** wiki database name, e.g. "enwiki", "lvwiki" */
  wiki: string;
  /** the event's identity within its wiki, used for exactly-once storage: "rc:<rcid>", or the
   *  EventStreams meta.id, or a stable hash for feeds without ids (2015 IRC replay) */
  sourceId: string;
  rcId: number | null;
  revId: number | null;
  oldRevId: number | null;
  type: ChangeType;
  namespace: number;
  /** page title; may contain IPs ("User talk:1.2.3.4") */
  title: string;
  /** ISO 8601, UTC */
  timestamp: string;
  /** the editor as the feed names it: a registered name, a temporary account (~2026-12345-67), or an IP */
  user: string;
  isAnon: boolean;
  isTemp: boolean;
  isBot: boolean;
  isMinor: boolean;
  isNew: boolean;
  isPatrolled: boolean | null;
  /** edit summary; may contain IPs; null when the feed omitted it */
  comment: string | null;
  parsedComment: string | null;
  /** page sizes in bytes; null when unknown (feeds sometimes omit them) */
  sizeOld: number | null;
  sizeNew: number | null;
  /** size change in bytes: sizeNew − sizeOld when both are known, else what the feed gave (the 2015 IRC
   *  feed has only a delta), else null */
  sizeDelta: number | null;
  tags: string[];
  logType: string | null;
  logAction: string | null;
  /** log parameters as the feed gave them; may contain IPs (block targets) */
  logParams: unknown;
  /** the editor's IP from a trusted private producer (wikis that mask), when not in `user` */
  ip: string | null;
  userAgent: string | null;
  /** e.g. "https://en.wikipedia.org", for diff links */
  serverUrl: string | null;
  /** ISO 3166-1 alpha-2 country when a feed carries it; finer location fields are dropped at parse time */
  country: string | null;
  /** model scores a feed may carry (the lvwiki Action API sample has ORES scores) */
  ores: { damaging: number | null; goodfaith: number | null } | null;
}
