import { jsonRoute } from '@/app/_lib/route';
import { grantRole, revokeRole, type TRoleChangeRequest } from '@/lib/services/role-grant';

/** POST: grant a role; DELETE: revoke one. Body: { userId, role, wiki?, reason? }. Stewards only. */
export const POST = jsonRoute(async (_req, ctx, body) => ({ granted: await grantRole(ctx, body as TRoleChangeRequest) }));
export const DELETE = jsonRoute(async (_req, ctx, body) => ({ revoked: await revokeRole(ctx, body as TRoleChangeRequest) }));
