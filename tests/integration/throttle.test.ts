import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, CLIENT_LIMIT, WINDOW_MS, clearAccount, clientPseudonym, isThrottled, recordFailure, throttleKeys } from '@/lib/auth/throttle';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('sign-in throttling (shared through the database)', () => {
  it('locks an account after the limit, for the window only, and a success clears it', async () => {
    const keys = throttleKeys('Alice', clientPseudonym('192.0.2.10'));
    const now = new Date('2026-11-26T10:00:00Z');
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await recordFailure(keys, now);
    expect(await isThrottled(keys, now)).toBe(false);
    await recordFailure(keys, now);
    expect(await isThrottled(keys, now)).toBe(true);
    // the same account from another client is locked too; usernames are case-insensitive
    expect(await isThrottled(throttleKeys('alice', clientPseudonym('198.51.100.1')), now)).toBe(true);
    expect(await isThrottled(keys, new Date(now.getTime() + WINDOW_MS + 1000))).toBe(false);
    await clearAccount(keys);
    expect(await isThrottled(keys, now)).toBe(false);
  });

  it('locks a client that tries many accounts', async () => {
    const client = clientPseudonym('203.0.113.9');
    const now = new Date('2026-11-26T11:00:00Z');
    for (let i = 0; i < CLIENT_LIMIT; i++) await recordFailure(throttleKeys(`user${i}`, client), now);
    expect(await isThrottled(throttleKeys('fresh-user', client), now)).toBe(true);
    expect(await isThrottled(throttleKeys('fresh-user', clientPseudonym('203.0.113.10')), now)).toBe(false);
  });

  it('stores no client address, only its keyed pseudonym', async () => {
    const rows = await t.sql('SELECT key FROM auth_throttle');
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/192\.0\.2\.10|203\.0\.113\.9|198\.51\.100\.1/);
  });
});
