import { jsonRoute } from '@/app/_lib/route';
import { setUserDisabled, type TSetDisabledRequest } from '@/lib/services/user-disable';

/** POST { userId, disabled, reason? }: disable (ends all sessions) or re-enable an account. Stewards only. */
export const POST = jsonRoute(async (_req, ctx, body) => ({ user: await setUserDisabled(ctx, body as TSetDisabledRequest) }));
