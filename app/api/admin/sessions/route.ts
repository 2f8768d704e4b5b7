import { jsonRoute } from '@/app/_lib/route';
import { endSessions, type TEndSessionsRequest } from '@/lib/services/session-revoke';

/** POST { userId, reason? }: end every session of a user at once. Stewards only. */
export const POST = jsonRoute(async (_req, ctx, body) => ({ ended: await endSessions(ctx, body as TEndSessionsRequest) }));
