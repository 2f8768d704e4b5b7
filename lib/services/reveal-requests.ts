import { findIps } from '../masking/text';
import { revealConfig } from '../reveal/config';
import { checkEligibility, checkReason, listedCategory, verbPermission } from '../reveal/eligibility';
import { RevealRefusedError, refusalOf, refuse } from '../reveal/refusals';
import { parseTarget, resolveTarget } from '../reveal/targets';
import { auditRefusal, type RevealInput } from './reveal';
import { executeVerb, type ServiceContext } from './verb';

/**
 * Range and bulk reveals (every address behind a range pseudonym or a cluster): the holder files a request
 * with their reason; a different checkuser or a steward approves or denies it within 24 hours (configurable);
 * the holder then reveals with it once (lib/services/reveal.ts). Self-approval is refused and audited.
 */
const HOUR = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function requestBulkReveal(ctx: ServiceContext, raw: RevealInput, opts: { now?: Date } = {}): Promise<{ id: string; expiresAt: Date }> {
  const now = opts.now ?? new Date();
  const target = parseTarget(raw.target);
  try {
    if (!target || target.type === 'actor') return refuse('target_not_found');
    const { permission, wiki } = verbPermission(ctx.actor);
    return await executeVerb(ctx, {
      action: 'ip.reveal-request',
      permission,
      wiki,
      async run(tx) {
        // eligible now (the step-up is asked for when the approved request is used)
        const { holder, wikis } = await checkEligibility(tx, ctx.actor, { stepUp: false, now: now.getTime() });
        const reason = checkReason(raw);
        const resolved = await resolveTarget(tx, target, wikis);
        const expiresAt = new Date(now.getTime() + revealConfig().approvalHours * HOUR);
        const req = await tx.revealRequest.create({
          data: {
            requesterId: holder.userId,
            requesterName: holder.username,
            targetType: target.type,
            targetKey: target.key,
            targetLabel: resolved.label,
            reasonCategory: reason.category,
            reasonText: reason.text,
            caseRef: reason.caseRef ?? null,
            status: 'pending',
            createdAt: now,
            expiresAt,
          },
        });
        return {
          result: { id: req.id, expiresAt },
          audit: {
            targetType: target.type,
            targetId: target.key,
            reason: `${reason.category}: ${reason.text}`,
            after: { requestId: req.id, label: resolved.label, addresses: resolved.refs.length, expiresAt: expiresAt.toISOString() },
          },
        };
      },
    });
  } catch (err) {
    const code = refusalOf(err);
    if (code) await auditRefusal(ctx, code, target, { category: listedCategory(raw.category) });
    // one error type for every refusal (the step-up and permission refusals of executeVerb included)
    throw code && !(err instanceof RevealRefusedError) ? new RevealRefusedError(code) : err;
  }
}

export interface DecideInput {
  requestId?: unknown;
  approve?: unknown;
  note?: unknown;
}

/** Approve or deny a pending request: a checkuser other than the requester, or a steward. */
export async function decideRevealRequest(ctx: ServiceContext, raw: DecideInput, opts: { now?: Date } = {}): Promise<{ status: 'approved' | 'denied' }> {
  const now = opts.now ?? new Date();
  const approve = raw.approve === true || raw.approve === 'true';
  const requestId = typeof raw.requestId === 'string' && UUID.test(raw.requestId) ? raw.requestId : null;
  // the note lands in the audit row: an address typed into it is dropped, not stored
  const note = typeof raw.note === 'string' && raw.note.trim() && !findIps(raw.note).length ? raw.note.trim().slice(0, 500) : undefined;
  try {
    if (!requestId) return refuse('approval_not_found');
    return await executeVerb(ctx, {
      action: approve ? 'ip.reveal-approve' : 'ip.reveal-deny',
      permission: 'reveal.approve',
      stepUp: approve,
      wiki: '*',
      async run(tx) {
        const req = await tx.revealRequest.findUnique({ where: { id: requestId } });
        if (!req) return refuse('approval_not_found');
        if (ctx.actor.kind !== 'user' || req.requesterId === ctx.actor.id) return refuse('self_approval');
        if (req.expiresAt.getTime() <= now.getTime()) return refuse('approval_expired');
        if (req.status !== 'pending') return refuse('approval_used');
        const status = approve ? ('approved' as const) : ('denied' as const);
        // conditional update: two deciders racing, one wins
        const { count } = await tx.revealRequest.updateMany({
          where: { id: req.id, status: 'pending' },
          data: { status, decidedById: ctx.actor.id, decidedByName: ctx.actor.username, decidedAt: now, decisionNote: note ?? null },
        });
        if (count !== 1) return refuse('approval_used');
        return {
          result: { status },
          audit: {
            targetType: 'reveal-request',
            targetId: req.id,
            reason: note,
            after: { status, requester: req.requesterName, target: `${req.targetType}:${req.targetLabel}` },
          },
        };
      },
    });
  } catch (err) {
    const code = refusalOf(err);
    if (code) await auditRefusal(ctx, code, null, requestId ? { requestId } : {});
    // one error type for every refusal (the step-up and permission refusals of executeVerb included)
    throw code && !(err instanceof RevealRefusedError) ? new RevealRefusedError(code) : err;
  }
}
