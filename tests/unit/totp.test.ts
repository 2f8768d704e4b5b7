import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasFreshStepUp, requireStepUp, STEP_UP_MAX_AGE_MS } from '@/lib/auth/step-up';
import {
  TotpDecryptError,
  codeFor,
  decryptSecret,
  encryptSecret,
  generateRecoveryCodes,
  matchStep,
  newSecret,
  normaliseRecoveryCode,
  otpauthUri,
  timeStep,
} from '@/lib/auth/totp';
import { StepUpRequiredError } from '@/lib/errors';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 15); // 15 s into a step

describe('TOTP codes', () => {
  const secret = newSecret();

  it('makes RFC 6238 defaults: 160-bit base32 secret, otpauth URI with issuer and label, SHA1/6/30', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = otpauthUri(secret, 'alice');
    expect(uri).toMatch(/^otpauth:\/\/totp\/maskpatrol:alice\?/);
    for (const p of ['issuer=maskpatrol', 'algorithm=SHA1', 'digits=6', 'period=30', `secret=${secret}`]) expect(uri).toContain(p);
  });

  it('accepts the current step and one either side, nothing further, and names the step', () => {
    const step = timeStep(T0);
    expect(matchStep(secret, codeFor(secret, T0), T0)).toBe(step);
    expect(matchStep(secret, codeFor(secret, T0 - 30_000), T0)).toBe(step - 1);
    expect(matchStep(secret, codeFor(secret, T0 + 30_000), T0)).toBe(step + 1);
    expect(matchStep(secret, codeFor(secret, T0 - 60_000), T0)).toBeNull();
    expect(matchStep(secret, codeFor(secret, T0 + 60_000), T0)).toBeNull();
  });

  it('refuses wrong, malformed and foreign codes; tolerates spaces', () => {
    const good = codeFor(secret, T0);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    expect(matchStep(secret, wrong, T0)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', `${good}0`]) expect(matchStep(secret, bad, T0)).toBeNull();
    expect(matchStep(newSecret(), good, T0)).toBeNull();
    expect(matchStep(secret, `${good.slice(0, 3)} ${good.slice(3)}`, T0)).toBe(timeStep(T0));
  });
});

describe('secret encryption (AES-256-GCM, user id bound)', () => {
  const key = randomBytes(32);
  const secret = newSecret();
  const id = '6f1c1f7e-8d1a-4c1e-9a51-0d1f5f3b2a10';

  it('round-trips, with a fresh nonce each time and no plaintext in the ciphertext', () => {
    const a = encryptSecret(key, id, secret);
    const b = encryptSecret(key, id, secret);
    expect(decryptSecret(key, id, a)).toBe(secret);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain(secret);
    expect(a.toString('base64')).not.toContain(secret);
  });

  it('refuses another user id, another key and any altered byte, without saying more', () => {
    const a = encryptSecret(key, id, secret);
    expect(() => decryptSecret(key, '00000000-0000-4000-8000-000000000000', a)).toThrow(TotpDecryptError);
    expect(() => decryptSecret(randomBytes(32), id, a)).toThrow(TotpDecryptError);
    for (const i of [0, 12, a.length - 1]) {
      const t = Buffer.from(a);
      t[i] = t[i]! ^ 1;
      expect(() => decryptSecret(key, id, t)).toThrow(TotpDecryptError);
    }
    try {
      decryptSecret(key, id, Buffer.alloc(3));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(secret);
    }
  });
});

describe('recovery codes', () => {
  it('are ten distinct xxxxx-xxxxx codes from an unambiguous alphabet', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('normalise what people type, and refuse anything else', () => {
    expect(normaliseRecoveryCode(' ABCDE FGHJK ')).toBe('abcde-fghjk');
    expect(normaliseRecoveryCode('abcdefghjk')).toBe('abcde-fghjk');
    expect(normaliseRecoveryCode('abcde-fghjk')).toBe('abcde-fghjk');
    for (const bad of ['', '123456', 'abcde-fghj', 'abcde_fghjk', 'abcde-fghjk-x']) expect(normaliseRecoveryCode(bad)).toBeNull();
  });
});

describe('step-up', () => {
  const user = (stepUpAt?: number | null) => ({ kind: 'user' as const, id: 'u', username: 'u', roles: [], stepUpAt });
  const now = T0;

  it('passes within the window, refuses without one, after it, or from the future', () => {
    expect(hasFreshStepUp(user(now - 60_000), STEP_UP_MAX_AGE_MS, now)).toBe(true);
    expect(hasFreshStepUp(user(now - STEP_UP_MAX_AGE_MS), STEP_UP_MAX_AGE_MS, now)).toBe(true);
    expect(hasFreshStepUp(user(now - STEP_UP_MAX_AGE_MS - 1), STEP_UP_MAX_AGE_MS, now)).toBe(false);
    expect(hasFreshStepUp(user(null), STEP_UP_MAX_AGE_MS, now)).toBe(false);
    expect(hasFreshStepUp(user(undefined), STEP_UP_MAX_AGE_MS, now)).toBe(false);
    expect(hasFreshStepUp(user(now + 3_600_000), STEP_UP_MAX_AGE_MS, now)).toBe(false);
    expect(() => requireStepUp(user(null), STEP_UP_MAX_AGE_MS, now)).toThrow(StepUpRequiredError);
    expect(() => requireStepUp(user(now - 1000), 500, now)).toThrow(StepUpRequiredError);
  });

  it('does not ask operator tools (system actors)', () => {
    expect(() => requireStepUp({ kind: 'system', name: 'cli' })).not.toThrow();
  });
});
