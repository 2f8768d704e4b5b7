import { jsonRoute } from '@/app/_lib/route';
import { resetTotp, type TTotpResetRequest } from '@/lib/services/totp-reset';

/** POST { userId, reason? }: remove a user's second factor (and end their sessions). Stewards only, with step-up. */
export const POST = jsonRoute(async (_req, ctx, body) => ({ reset: await resetTotp(ctx, body as TTotpResetRequest) }));
