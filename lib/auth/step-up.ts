import { StepUpRequiredError } from '../errors';
import type { Actor } from './permissions';

/**
 * Step-up: sensitive verbs (role changes, disabling accounts, second-factor changes, and the IP reveal of
 * step 8) need a TOTP code verified by this session within the last STEP_UP_MAX_AGE_MS. The time comes
 * from the session JWT, which only the server writes after verifying a code itself (sign-in with a TOTP
 * code, enrolment, /account/step-up). A recovery code signs in but is not a step-up. Operator tools
 * (system actors) are not asked: whoever runs them can read the database anyway.
 */
export const STEP_UP_MAX_AGE_MS = 10 * 60_000;

export function hasFreshStepUp(actor: Actor, maxAgeMs = STEP_UP_MAX_AGE_MS, now = Date.now()): boolean {
  if (actor.kind === 'system') return true;
  const at = actor.stepUpAt;
  return typeof at === 'number' && at <= now + 5_000 && now - at <= maxAgeMs;
}

export function requireStepUp(actor: Actor, maxAgeMs = STEP_UP_MAX_AGE_MS, now = Date.now()): void {
  if (!hasFreshStepUp(actor, maxAgeMs, now)) throw new StepUpRequiredError();
}
