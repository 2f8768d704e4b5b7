import { createHmac } from 'node:crypto';
import { db } from '../db/client';

/**
 * Sign-in rate limiting that holds across app instances (counters live in the database): per account
 * and per client. Client addresses are never stored or logged raw: they are keyed with the session
 * secret first. Limits: ACCOUNT_LIMIT failures per account and CLIENT_LIMIT per client within WINDOW_MS;
 * beyond them every attempt is refused (with the same generic message as a wrong password) until the
 * window passes. A successful sign-in clears the account's counter.
 */
export const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_LIMIT = Number(process.env.MASKPATROL_SIGNIN_ACCOUNT_LIMIT ?? 10);
export const CLIENT_LIMIT = Number(process.env.MASKPATROL_SIGNIN_CLIENT_LIMIT ?? 50);

export function clientPseudonym(address: string | null | undefined): string {
  const secret = process.env.NEXTAUTH_SECRET ?? 'no-secret';
  return createHmac('sha256', secret)
    .update(address || 'unknown')
    .digest('base64url')
    .slice(0, 16);
}

export function throttleKeys(username: string, client: string): { account: string; client: string } {
  return { account: `account:${username.toLowerCase()}`, client: `client:${client}` };
}

/** True when either key is over its limit within the current window. */
export async function isThrottled(keys: { account: string; client: string }, now = new Date()): Promise<boolean> {
  const rows = await db().authThrottle.findMany({ where: { key: { in: [keys.account, keys.client] } } });
  return rows.some((r) => {
    if (now.getTime() - r.windowStart.getTime() > WINDOW_MS) return false;
    const limit = r.key.startsWith('account:') ? ACCOUNT_LIMIT : CLIENT_LIMIT;
    return r.failures >= limit;
  });
}

export async function recordFailure(keys: { account: string; client: string }, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - WINDOW_MS);
  for (const key of [keys.account, keys.client])
    await db().$executeRawUnsafe(
      `INSERT INTO auth_throttle (key, failures, "windowStart") VALUES ($1, 1, $2::timestamptz)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN auth_throttle."windowStart" < $3::timestamptz THEN 1 ELSE auth_throttle.failures + 1 END,
         "windowStart" = CASE WHEN auth_throttle."windowStart" < $3::timestamptz THEN $2::timestamptz ELSE auth_throttle."windowStart" END`,
      key,
      now.toISOString(),
      since.toISOString(),
    );
}

export async function clearAccount(keys: { account: string }): Promise<void> {
  await db().authThrottle.deleteMany({ where: { key: keys.account } });
}
