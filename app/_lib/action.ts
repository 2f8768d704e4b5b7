import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { RequestMeta } from '@/lib/audit/chain';
import type { UserActor } from '@/lib/auth/actors';
import { AppError, ForbiddenError, ValidationError } from '@/lib/errors';
import { log } from '@/lib/log';
import { currentActor } from './actor';
import { sameOrigin } from './origin';

export type ActionState<T = unknown> =
  | { status: 'idle' }
  | { status: 'ok'; message: string; data?: T }
  | { status: 'error'; message: string; fields?: Record<string, string> };

/**
 * Every server action runs through this: Origin check (a missing Origin is refused too), the signed-in
 * actor (else sign-in page), and one error mapping — forbidden → the 403 page, domain errors → a message
 * in the form, anything else → a generic message with a request id (details only in the server log).
 */
export async function runAction<T>(
  fn: (ctx: { actor: UserActor; request: RequestMeta }) => Promise<{ message: string; data?: T }>,
): Promise<ActionState<T>> {
  const h = await headers();
  if (!sameOrigin(h)) forbidden();
  const actor = await currentActor();
  if (!actor) redirect('/signin');
  const requestId = randomUUID();
  try {
    const out = await fn({ actor, request: { via: 'web', requestId, userAgent: h.get('user-agent')?.slice(0, 200) } });
    return { status: 'ok', ...out };
  } catch (err) {
    if (err instanceof ForbiddenError) forbidden();
    if (err instanceof ValidationError) return { status: 'error', message: err.message, fields: err.fields };
    if (err instanceof AppError) return { status: 'error', message: err.message };
    log().error({ err, requestId }, 'server action failed');
    return { status: 'error', message: `Something went wrong (request ${requestId}). Nothing was changed.` };
  }
}
