import { jsonRoute } from '@/app/_lib/route';
import { feedStatus } from '@/lib/ingest/status';

/** GET: ingest status per feed (lag, events/s, dead letters, last error). Any role. */
export const GET = jsonRoute(async (_req, ctx) => ({ feeds: await feedStatus(ctx.actor) }));
