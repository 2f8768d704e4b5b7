import { appendAudit } from '../audit/chain';
import { checkCodeThrottled } from '../auth/code-check';
import { db, type Tx } from '../db/client';
import type { KeyRing } from '../masking/keyring';
import { readVaultRecord, VaultShreddedError } from '../masking/vault';
import { VaultDecryptError } from '../masking/vault-crypto';
import { log } from '../log';
import { revealConfig } from '../reveal/config';
import { checkEligibility, checkReason, listedCategory, mayHoldReveal, verbPermission, type StatedReason } from '../reveal/eligibility';
import { revealKeyRing } from '../reveal/keys';
import { RevealRefusedError, refusalOf, refuse, type RefusalCode } from '../reveal/refusals';
import { parseTarget, resolveTarget, targetLabel, type TargetRef } from '../reveal/targets';
import { executeVerb, type ServiceContext } from './verb';

/**
 * The one door to a raw IP. Inside ONE transaction: eligibility (permission or grant, agreement and
 * acknowledgement, not suspended, fresh step-up), the stated reason, the approval of a range or bulk reveal,
 * the per-holder rate limits (counted from `reveal` rows under a per-holder lock, so they hold across app
 * instances), the vault reads, the `reveal` row and the 'ip.reveal' audit row. If anything fails — the audit
 * insert included — the transaction rolls back and no address is returned. A refusal is audited on its
 * own as 'ip.reveal-refused' with its code (never an address). No de-duplication: every reveal is a row.
 */
export interface RevealInput {
  target?: unknown;
  category?: unknown;
  reason?: unknown;
  caseRef?: unknown;
  /** an approved range / bulk request of the same holder */
  requestId?: unknown;
  /** a TOTP code typed with the reveal: verified here (under the sign-in throttle), it is the step-up */
  code?: unknown;
}

export interface RevealedAddress {
  ip: string;
  /** the actor's pseudonym or account name, so the holder knows which address is whose */
  display: string;
  wiki: string;
  lastSeen: string;
}

export interface RevealResult {
  revealId: string;
  label: string;
  addresses: RevealedAddress[];
  /** addresses whose vault record was shredded (bulk reveals; a single one is refused instead) */
  unavailable: number;
  displaySeconds: number;
}

const HOLDER_LOCK = 734_602_102; // pg_advisory_xact_lock(HOLDER_LOCK, hashtext(holder id)): one reveal of a holder at a time
const HOUR = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RevealOptions {
  keys?: KeyRing;
  now?: Date;
  /** the client pseudonym header, for the code throttle */
  clientAddress?: string | null;
  /** called once a code sent with the reveal was verified (the route refreshes the session's step-up) */
  onStepUp?: () => Promise<unknown>;
}

export async function revealIp(ctx: ServiceContext, raw: RevealInput, opts: RevealOptions = {}): Promise<RevealResult> {
  const now = opts.now ?? new Date();
  const target = parseTarget(raw.target);
  try {
    if (!target) return refuse('target_not_found');
    if (typeof raw.code === 'string' && raw.code.trim() && ctx.actor.kind === 'user' && mayHoldReveal(ctx.actor)) {
      const factor = await checkCodeThrottled(ctx.actor, raw.code, opts.clientAddress, { allowRecovery: false });
      if (factor !== 'totp') return refuse('code_invalid');
      ctx = { ...ctx, actor: { ...ctx.actor, stepUpAt: Date.now() } };
      await opts.onStepUp?.();
    }
    const { permission, wiki } = verbPermission(ctx.actor);
    return await executeVerb(ctx, {
      action: 'ip.reveal',
      permission,
      stepUp: true,
      wiki,
      run: (tx) => revealInTx(tx, ctx, raw, target, now, opts.keys ?? revealKeyRing()),
    });
  } catch (err) {
    const code = refusalOf(err);
    if (code) await auditRefusal(ctx, code, target, { category: listedCategory(raw.category) });
    // one error type for every refusal (the step-up and permission refusals of executeVerb included)
    throw code && !(err instanceof RevealRefusedError) ? new RevealRefusedError(code) : err;
  }
}

async function revealInTx(tx: Tx, ctx: ServiceContext, raw: RevealInput, target: TargetRef, now: Date, keys: KeyRing) {
  const { holder, wikis } = await checkEligibility(tx, ctx.actor, { stepUp: true, now: now.getTime() });
  let reason: StatedReason;
  let requestId: string | null = null;
  if (target.type === 'actor') reason = checkReason(raw);
  else {
    // a range or bulk reveal: only with this holder's approved, unexpired, unused request for this target
    if (typeof raw.requestId !== 'string' || !UUID.test(raw.requestId)) return refuse('approval_required');
    const req = await tx.revealRequest.findUnique({ where: { id: raw.requestId } });
    if (!req || req.requesterId !== holder.userId || req.targetType !== target.type || req.targetKey !== target.key)
      return refuse('approval_not_found');
    if (req.expiresAt.getTime() <= now.getTime()) return refuse('approval_expired');
    if (req.status === 'used') return refuse('approval_used');
    if (req.status !== 'approved') return refuse('approval_not_granted');
    await tx.revealRequest.update({ where: { id: req.id }, data: { status: 'used', usedAt: now } });
    requestId = req.id;
    reason = { category: req.reasonCategory, text: req.reasonText, ...(req.caseRef ? { caseRef: req.caseRef } : {}) };
  }

  // rate limits: serialise this holder's reveals, then count the shared store
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${HOLDER_LOCK}::int, hashtext(${holder.userId}))::text`;
  const cfg = revealConfig();
  const count = (ms: number) => tx.reveal.count({ where: { holderId: holder.userId, createdAt: { gt: new Date(now.getTime() - ms) } } });
  if ((await count(HOUR)) >= cfg.perHour) return refuse('rate_limit_hour');
  if ((await count(24 * HOUR)) >= cfg.perDay) return refuse('rate_limit_day');

  const resolved = await resolveTarget(tx, target, wikis);
  const addresses: RevealedAddress[] = [];
  let unavailable = 0;
  for (const ref of resolved.refs) {
    try {
      const plain = await readVaultRecord(tx, keys, ref.vaultId);
      addresses.push({ ip: plain.ip, display: ref.display, wiki: ref.wiki, lastSeen: ref.ts.toISOString() });
    } catch (err) {
      if (!(err instanceof VaultShreddedError || err instanceof VaultDecryptError)) throw err;
      unavailable++;
    }
  }
  if (!addresses.length) return refuse('no_longer_available');

  const row = await tx.reveal.create({
    data: {
      holderId: holder.userId,
      holderName: holder.username,
      targetType: target.type,
      targetKey: target.key,
      targetLabel: resolved.label,
      wikis: resolved.wikis,
      reasonCategory: reason.category,
      reasonText: reason.text,
      caseRef: reason.caseRef ?? null,
      requestId,
      ipCount: addresses.length,
      createdAt: now,
    },
  });
  const result: RevealResult = {
    revealId: row.id,
    label: resolved.label,
    addresses,
    unavailable,
    displaySeconds: cfg.displaySeconds,
  };
  return {
    result,
    audit: {
      targetType: target.type,
      targetId: target.key,
      wiki: resolved.wikis.length === 1 ? resolved.wikis[0] : undefined,
      reason: `${reason.category}: ${reason.text}`,
      // counts and references only: the addresses exist in the response alone
      after: { revealId: row.id, label: resolved.label, addresses: addresses.length, unavailable, caseRef: reason.caseRef ?? null, requestId },
    },
  };
}

/**
 * A refused attempt, in a transaction of its own (the attempt's own transaction rolled back or never began):
 * who, what, which refusal. Never the address, never the reason text. A failure here is logged; the refusal
 * stands either way.
 */
export async function auditRefusal(
  ctx: ServiceContext,
  code: RefusalCode,
  target: TargetRef | null,
  extra: { category?: string; requestId?: string } = {},
): Promise<void> {
  try {
    const prisma = ctx.db ?? db();
    await prisma.$transaction(async (tx) => {
      const label = target ? await targetLabel(tx, target).catch(() => null) : null;
      await appendAudit(tx, {
        action: 'ip.reveal-refused',
        actor: ctx.actor,
        targetType: extra.requestId ? 'reveal-request' : target?.type,
        targetId: extra.requestId ?? target?.key,
        reason: code,
        after: { refusal: code, label, category: extra.category ?? null },
        request: ctx.request,
      });
    });
  } catch (err) {
    log().error({ err, refusal: code }, 'could not audit a refused reveal');
  }
}
