import { AppError, ForbiddenError, StepUpRequiredError } from '../errors';
import { messages } from '../messages';

/**
 * Why a reveal (or an approval) was refused. Every refusal is audited as 'ip.reveal-refused' with its code
 * (never an address), so stewards see attempts as well as reveals.
 */
export const REFUSALS = {
  no_permission: 403,
  disabled: 403,
  suspended: 403,
  no_agreement: 403,
  not_acknowledged: 403,
  step_up_required: 403,
  code_invalid: 403,
  no_category: 400,
  no_reason: 400,
  reason_too_short: 400,
  reason_contains_ip: 400,
  approval_required: 403,
  approval_not_found: 404,
  approval_not_granted: 403,
  approval_expired: 403,
  approval_used: 409,
  self_approval: 403,
  rate_limit_hour: 429,
  rate_limit_day: 429,
  target_not_found: 404,
  no_longer_available: 410,
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export class RevealRefusedError extends AppError {
  override name = 'RevealRefusedError';
  override readonly status: number;
  override readonly code: string;
  constructor(readonly refusal: RefusalCode) {
    super(messages.reveal.refusals[refusal]);
    this.status = REFUSALS[refusal];
    this.code = refusal;
  }
}

export const refuse = (code: RefusalCode): never => {
  throw new RevealRefusedError(code);
};

/** The refusal an error stands for, or null for an error that is not a refusal (an outage). */
export function refusalOf(err: unknown): RefusalCode | null {
  if (err instanceof RevealRefusedError) return err.refusal;
  if (err instanceof StepUpRequiredError) return 'step_up_required';
  if (err instanceof ForbiddenError) return 'no_permission';
  return null;
}
