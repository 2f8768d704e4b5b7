import { canOnAnyWiki, GLOBAL, wikisWith, type Actor, type Permission } from '../auth/permissions';
import { hasFreshStepUp } from '../auth/step-up';
import type { Tx } from '../db/client';
import type { RevealHolder } from '../db/generated/client';
import type { Wikis } from '../entities/common';
import { findIps } from '../masking/text';
import { MIN_REASON_LENGTH, revealConfig } from './config';
import { refuse } from './refusals';

/**
 * Who may reveal: a checkuser (role), or an admin a steward granted the reveal individually; either way with
 * a signed access agreement on record (recorded by a steward), their own acknowledgement of that version,
 * not suspended, not disabled, and a fresh step-up. Checked inside the reveal's transaction.
 */
export interface Eligible {
  holder: RevealHolder;
  /** the wikis whose edits this holder may reveal */
  wikis: Wikis;
  via: 'role' | 'grant';
}

/** The permission executeVerb checks first: the role's own, else the one that admits an individual grant. */
export function verbPermission(actor: Actor): { permission: Permission; wiki: string | null } {
  for (const permission of ['ip.reveal', 'ip.reveal.grantee'] as const)
    if (canOnAnyWiki(actor, permission)) {
      const w = wikisWith(actor, permission);
      return { permission, wiki: w === GLOBAL ? GLOBAL : (w[0] ?? GLOBAL) };
    }
  return { permission: 'ip.reveal', wiki: GLOBAL };
}

export async function checkEligibility(tx: Tx, actor: Actor, opts: { stepUp: boolean; now: number }): Promise<Eligible> {
  if (actor.kind !== 'user') return refuse('no_permission');
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { disabled: true } });
  if (!user || user.disabled) return refuse('disabled');
  const holder = await tx.revealHolder.findUnique({ where: { userId: actor.id } });
  let wikis: Wikis;
  let via: Eligible['via'];
  if (canOnAnyWiki(actor, 'ip.reveal')) {
    wikis = wikisWith(actor, 'ip.reveal');
    via = 'role';
  } else if (canOnAnyWiki(actor, 'ip.reveal.grantee') && holder?.grantWiki) {
    wikis = holder.grantWiki === GLOBAL ? GLOBAL : [holder.grantWiki];
    via = 'grant';
  } else return refuse('no_permission');
  if (!holder) return refuse('no_agreement');
  if (holder.suspended) return refuse('suspended');
  if (!holder.agreementVersion) return refuse('no_agreement');
  if (holder.acknowledgedVersion !== holder.agreementVersion) return refuse('not_acknowledged');
  if (opts.stepUp && !hasFreshStepUp(actor, undefined, opts.now)) return refuse('step_up_required');
  return { holder, wikis, via };
}

export interface StatedReason {
  category: string;
  text: string;
  caseRef?: string;
}

/** The category if it is one of the configured list (what a refusal's audit row may keep), else undefined. */
export function listedCategory(raw: unknown): string | undefined {
  return typeof raw === 'string' && revealConfig().categories.includes(raw.trim()) ? raw.trim() : undefined;
}

/** A category from the configured list, and a text of at least 20 characters that names no address. */
export function checkReason(raw: { category?: unknown; reason?: unknown; caseRef?: unknown }): StatedReason {
  const categories = revealConfig().categories;
  const category = typeof raw.category === 'string' ? raw.category.trim() : '';
  if (!categories.includes(category)) return refuse('no_category');
  const text = typeof raw.reason === 'string' ? raw.reason.trim().slice(0, 1000) : '';
  if (!text) return refuse('no_reason');
  if (text.length < MIN_REASON_LENGTH) return refuse('reason_too_short');
  const caseRef = typeof raw.caseRef === 'string' && raw.caseRef.trim() ? raw.caseRef.trim().slice(0, 120) : undefined;
  // the audit trail and the steward views show reasons: an address typed into one would leak there
  if (findIps(text).length || (caseRef && findIps(caseRef).length)) return refuse('reason_contains_ip');
  return caseRef ? { category, text, caseRef } : { category, text };
}

/** Whether the actor's roles could hold the reveal at all (by role, or by an individual grant). */
export function mayHoldReveal(actor: Actor): boolean {
  return canOnAnyWiki(actor, 'ip.reveal') || canOnAnyWiki(actor, 'ip.reveal.grantee');
}

/** Whether the viewer should be offered the reveal control at all (the verb decides for real). */
export function mayOfferReveal(actor: Actor, holder: Pick<RevealHolder, 'grantWiki' | 'suspended'> | null): boolean {
  if (actor.kind !== 'user') return false;
  if (holder?.suspended) return false;
  return canOnAnyWiki(actor, 'ip.reveal') || (canOnAnyWiki(actor, 'ip.reveal.grantee') && !!holder?.grantWiki);
}
