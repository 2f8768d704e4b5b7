import { jsonRoute } from '@/app/_lib/route';
import { listUsers } from '@/lib/users/queries';
import { createUser, type TCreateUserRequest } from '@/lib/services/user-create';

/** GET: accounts and roles. POST: create an account { username, password?, roles?, reason? }. Stewards only. */
export const GET = jsonRoute(async (_req, ctx) => ({ users: await listUsers(ctx.actor) }));
export const POST = jsonRoute(async (_req, ctx, body) => ({ user: await createUser(ctx, body as TCreateUserRequest) }));
