import { db } from '../db/client';
import { canOnAnyWiki, type Actor } from '../auth/permissions';
import { ForbiddenError } from '../errors';
import { ratePerSecond } from './metrics';

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export interface FeedStatus {
  feed: string;
  eventsTotal: number;
  deadTotal: number;
  /** seconds between the newest stored event's time and now */
  lagSeconds: number | null;
  /** events stored per second over the last minute (null: another instance ingests it) */
  ratePerSecond: number | null;
  lastEventAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  updatedAt: string;
}

/** Ingest status per feed: lag, events/s, dead letters, last error. */
export async function feedStatus(actor: Actor): Promise<FeedStatus[]> {
  if (!canOnAnyWiki(actor, 'queue.view')) throw new ForbiddenError();
  const states = await db().feedState.findMany({ orderBy: { feed: 'asc' } });
  const now = Date.now();
  return states.map((s) => ({
    feed: s.feed,
    eventsTotal: Number(s.eventsTotal),
    deadTotal: Number(s.deadTotal),
    lagSeconds: s.lastEventAt ? Math.max(0, Math.round((now - s.lastEventAt.getTime()) / 1000)) : null,
    ratePerSecond: round1(ratePerSecond(s.feed)),
    lastEventAt: s.lastEventAt?.toISOString() ?? null,
    lastError: s.lastError,
    lastErrorAt: s.lastErrorAt?.toISOString() ?? null,
    updatedAt: s.updatedAt.toISOString(),
  }));
}
