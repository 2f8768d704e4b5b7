import type { PrismaClient } from '../db/generated/client';
import { db, type Tx } from '../db/client';
import { appendAudit, type AuditEntry, type RequestMeta } from '../audit/chain';
import type { AuditAction } from '../audit/actions';
import { authorize, authorizeOwnAccount, type Actor, type Permission } from '../auth/permissions';
import { requireStepUp } from '../auth/step-up';
import { ForbiddenError, StepUpRequiredError } from '../errors';
import { log } from '../log';

/**
 * The one way a privileged write happens:
 *   authorize → one transaction { mutate through tx; append the audit row } → commit → after-commit effects.
 * If the audit append fails, the transaction — and so the action — fails with it. Denials (and missing
 * step-ups) are logged, never audited as if they happened.
 */
export interface ServiceContext {
  actor: Actor;
  request?: RequestMeta;
  /** defaults to the application's client */
  db?: PrismaClient;
}

export type AuditFields = Omit<AuditEntry, 'action' | 'actor' | 'request'>;

export interface VerbSpec<R> {
  action: AuditAction;
  /** 'own-account': any signed-in user acting on their own account (the verb must target actor.id only) */
  permission: Permission | 'own-account';
  /** true: the actor must have verified a TOTP code within the last 10 minutes (lib/auth/step-up.ts) */
  stepUp?: boolean;
  /** the wiki the action concerns; null or "*" for global actions */
  wiki: string | null;
  /** runs inside the transaction; may throw ForbiddenError for checks that need data (outranking) */
  run(tx: Tx): Promise<{ result: R; audit: AuditFields }>;
  /** side effects after commit (notifications, sync); failures are logged, the action stands */
  afterCommit?(result: R): Promise<void> | void;
}

export async function executeVerb<R>(ctx: ServiceContext, spec: VerbSpec<R>): Promise<R> {
  try {
    if (spec.permission === 'own-account') authorizeOwnAccount(ctx.actor);
    else authorize(ctx.actor, spec.permission, spec.wiki);
    if (spec.stepUp) requireStepUp(ctx.actor);
    const prisma = ctx.db ?? db();
    const result = await prisma.$transaction(
      async (tx) => {
        const { result, audit } = await spec.run(tx);
        await appendAudit(tx, { ...audit, action: spec.action, actor: ctx.actor, request: ctx.request });
        return result;
      },
      { timeout: 20_000, maxWait: 10_000 },
    );
    if (spec.afterCommit) {
      try {
        await spec.afterCommit(result);
      } catch (err) {
        log().error({ err, action: spec.action }, 'after-commit effect failed');
      }
    }
    return result;
  } catch (err) {
    if (err instanceof ForbiddenError || err instanceof StepUpRequiredError)
      log().warn(
        {
          action: spec.action,
          actor: ctx.actor.kind === 'user' ? ctx.actor.id : ctx.actor.name,
          wiki: spec.wiki,
          refusal: err instanceof StepUpRequiredError ? 'step_up_required' : 'forbidden',
        },
        'privileged action refused',
      );
    throw err;
  }
}
