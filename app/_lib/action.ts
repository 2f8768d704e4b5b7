import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { RequestMeta } from '@/lib/audit/chain';
import type { UserActor } from '@/lib/auth/actors';
import { AppError, StepUpRequiredError, ValidationError, isRoleRefusal } from '@/lib/errors';
import { log } from '@/lib/log';
import { SECURITY_PAGE, currentSession } from './actor';
import { sameOrigin } from './origin';

export type ActionState<T = unknown> =
  | { status: 'idle' }
  | { status: 'ok'; message: string; data?: T }
  /** stepUp: the action needs a fresh second factor; the form offers the step-up page */
  | { status: 'error'; message: string; fields?: Record<string, string>; stepUp?: boolean };

/**
 * Every server action runs through this: Origin check (a missing Origin is refused too), the signed-in
 * actor (else sign-in page; a pending second factor → the security page, unless `allowPending` for the
 * account actions that settle it), and one error mapping — a refusal for the actor's role (isRoleRefusal) → the
 * 403 page, a missing step-up →
 * an error the form turns into a step-up prompt, domain errors → a message in the form, anything else → a
 * generic message with a request id (details only in the server log).
 */
export async function runAction<T>(
  fn: (ctx: { actor: UserActor; request: RequestMeta }) => Promise<{ message: string; data?: T }>,
  opts: { allowPending?: boolean } = {},
): Promise<ActionState<T>> {
  const h = await headers();
  if (!sameOrigin(h)) forbidden();
  const session = await currentSession();
  if (!session) redirect('/signin');
  if (session.pending && !opts.allowPending) redirect(SECURITY_PAGE);
  const actor = session.actor;
  const requestId = randomUUID();
  try {
    const out = await fn({ actor, request: { via: 'web', requestId, userAgent: h.get('user-agent')?.slice(0, 200) } });
    return { status: 'ok', ...out };
  } catch (err) {
    if (isRoleRefusal(err)) forbidden();
    if (err instanceof StepUpRequiredError) return { status: 'error', message: err.message, stepUp: true };
    if (err instanceof ValidationError) return { status: 'error', message: err.message, fields: err.fields };
    if (err instanceof AppError) return { status: 'error', message: err.message };
    log().error({ err, requestId }, 'server action failed');
    return { status: 'error', message: `Something went wrong (request ${requestId}). Nothing was changed.` };
  }
}
