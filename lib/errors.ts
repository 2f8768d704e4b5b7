/** Domain errors. Messages are safe to show to the user: they never carry secrets or IPs. */
export class AppError extends Error {
  readonly status: number = 500;
  readonly code: string = 'internal';
}

/** Authenticated but not allowed: 403, never 401. */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  override readonly status = 403;
  override readonly code = 'forbidden';
  constructor(message = 'You do not have permission to do this.') {
    super(message);
  }
}

/**
 * A refusal because of who the actor is (their role), not because of the data: ForbiddenError, or a domain
 * error with status 403 and code `no_permission` (the reveal's refusals). Pages and server actions show the
 * 403 page for these; other 403s (no agreement on record, approval expired, …) are messages in the form.
 */
export function isRoleRefusal(err: unknown): boolean {
  return err instanceof ForbiddenError || (err instanceof AppError && err.status === 403 && err.code === 'no_permission');
}

/** Not signed in (or the session was revoked): 401. */
export class UnauthenticatedError extends AppError {
  override name = 'UnauthenticatedError';
  override readonly status = 401;
  override readonly code = 'unauthenticated';
  constructor(message = 'Sign in first.') {
    super(message);
  }
}

/**
 * The action needs a fresh second factor (a TOTP code within the last minutes): 403 with its own code,
 * which the UI turns into a step-up prompt (/account/step-up).
 */
export class StepUpRequiredError extends AppError {
  override name = 'StepUpRequiredError';
  override readonly status = 403;
  override readonly code = 'step_up_required';
  constructor(message = 'Confirm with a code from your authenticator app first (step-up), then try again.') {
    super(message);
  }
}

/** Signed in with a password only, but the account needs its second factor first (enrol or verify). */
export class SecondFactorRequiredError extends AppError {
  override name = 'SecondFactorRequiredError';
  override readonly status = 403;
  override readonly code = 'second_factor_required';
  constructor(message = 'Set up or confirm two-factor authentication first (/account/security).') {
    super(message);
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly status = 400;
  override readonly code = 'invalid';
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly status = 404;
  override readonly code = 'not_found';
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  override readonly status = 409;
  override readonly code = 'conflict';
}

/** Turn a zod error into a ValidationError naming the fields but never echoing the input. */
export function fromZodIssues(issues: { path: PropertyKey[]; message: string }[]): ValidationError {
  const fields: Record<string, string> = {};
  for (const i of issues) fields[i.path.map(String).join('.') || '_'] ??= i.message;
  const summary = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return new ValidationError(`Invalid input (${summary})`, fields);
}
