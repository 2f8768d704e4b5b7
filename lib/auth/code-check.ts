import { log } from '../log';
import { verifySecondFactor, verifyTotp, type SecondFactor } from './second-factor';
import { clearAccount, clientPseudonym, isThrottled, recordFailure, throttleKeys } from './throttle';

/**
 * A code typed by a signed-in user (step-up, or finishing a password-only session), under the sign-in
 * throttle: refused while the account or client is over its limit, a wrong code counts as a failure.
 * `allowRecovery`: whether a recovery code may stand in (not for a step-up).
 */
export async function checkCodeThrottled(
  user: { id: string; username: string },
  code: string,
  clientAddress: string | null | undefined,
  opts: { allowRecovery: boolean },
): Promise<SecondFactor | null> {
  const client = clientPseudonym(clientAddress);
  const keys = throttleKeys(user.username, client);
  if (await isThrottled(keys)) {
    log().warn({ event: 'stepup.throttled', userId: user.id, client }, 'code refused: too many failures');
    return null;
  }
  const trimmed = code.trim().slice(0, 32);
  const factor: SecondFactor | null = opts.allowRecovery
    ? await verifySecondFactor(user.id, trimmed)
    : (await verifyTotp(user.id, trimmed))
      ? 'totp'
      : null;
  if (!factor) {
    await recordFailure(keys);
    log().info({ event: 'stepup.failed', userId: user.id, client }, 'second-factor code refused');
    return null;
  }
  await clearAccount(keys);
  log().info({ event: 'stepup.ok', userId: user.id, factor, client }, 'second factor verified');
  return factor;
}
