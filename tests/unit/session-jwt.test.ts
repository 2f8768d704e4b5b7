import { decode, encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { decodeSessionToken, encodeSessionToken } from '@/lib/auth/jwt';
import { sessionIds } from '@/lib/auth/nextauth';

const secret = 'unit-test-session-secret-0123456789abcdef';
const token = { sub: 'b3c1e7a2-0000-4000-8000-000000000001', name: 'alice', sv: 3, mfa: true, sua: 1_700_000_000_000 };

describe('session JWT with the derived key kept per secret (lib/auth/jwt.ts)', () => {
  it("reads next-auth's own tokens and next-auth reads ours (same format)", async () => {
    const theirs = await encode({ token, secret, maxAge: 3600 });
    expect(await decodeSessionToken({ token: theirs, secret })).toMatchObject(token);
    const ours = await encodeSessionToken({ token, secret, maxAge: 3600 });
    const back = await decode({ token: ours, secret });
    expect(back).toMatchObject(token);
    expect(back?.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(back?.exp) - Number(back?.iat)).toBe(3600);
  });

  it('refuses a token under another secret, a tampered token and an expired one, every time (the cache keys by secret)', async () => {
    const ours = await encodeSessionToken({ token, secret, maxAge: 3600 });
    for (let i = 0; i < 2; i++) {
      await expect(decodeSessionToken({ token: ours, secret: `${secret}-other` })).rejects.toThrow();
      await expect(decodeSessionToken({ token: ours, secret })).resolves.toMatchObject({ sub: token.sub });
    }
    const parts = ours.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(decodeSessionToken({ token: parts.join('.'), secret })).rejects.toThrow();
    const expired = await encodeSessionToken({ token, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow();
    expect(await decodeSessionToken({ token: '', secret })).toBeNull();
  });

  it('a salt derives a different key, as in next-auth', async () => {
    const salted = await encode({ token, secret, salt: 'x' });
    await expect(decodeSessionToken({ token: salted, secret })).rejects.toThrow();
    expect(await decodeSessionToken({ token: salted, secret, salt: 'x' })).toMatchObject({ sub: token.sub });
  });

  it('maps the claims as the session callback does', () => {
    expect(sessionIds(token)).toEqual({ userId: token.sub, sessionVersion: 3, mfa: true, stepUpAt: token.sua });
    expect(sessionIds({ sub: 'u', sv: '3', mfa: 'yes', sua: null })).toEqual({ userId: 'u', sessionVersion: -1, mfa: false, stepUpAt: null });
    expect(sessionIds({})).toEqual({ userId: '', sessionVersion: -1, mfa: false, stepUpAt: null });
  });
});
