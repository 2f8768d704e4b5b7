import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecord, NONCE_BYTES, TAG_BYTES, VaultDecryptError } from '@/lib/masking/vault-crypto';

const key = createSecretKey(randomBytes(32));
const plainArb = fc.record({ ip: fc.string({ minLength: 1, maxLength: 45 }), userAgent: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }) });
const flip = (b: Buffer, bit: number) => {
  const c = Buffer.from(b);
  c[bit >> 3] = c[bit >> 3]! ^ (1 << (bit % 8));
  return c;
};

describe('vault encryption (AES-256-GCM)', () => {
  it('round-trips any record (property)', () => {
    fc.assert(
      fc.property(plainArb, (p) => {
        const id = randomUUID();
        const plain = p.userAgent ? { ip: p.ip, userAgent: p.userAgent } : { ip: p.ip };
        const { nonce, ciphertext } = encryptRecord(key, id, '2026-03-01', plain);
        expect(nonce.length).toBe(NONCE_BYTES);
        expect(decryptRecord(key, id, '2026-03-01', nonce, ciphertext)).toEqual(plain);
      }),
    );
  });

  it('uses a fresh nonce for every record', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => encryptRecord(key, 'x', '2026-03-01', { ip: '192.0.2.1' }).nonce.toString('hex')));
    expect(nonces.size).toBe(1000);
  });

  it('rejects any flipped bit in ciphertext, tag, nonce, id or day (property)', () => {
    const id = randomUUID();
    const day = '2026-03-01';
    const { nonce, ciphertext } = encryptRecord(key, id, day, { ip: '2001:db8::1', userAgent: 'Mozilla/5.0' });
    const tagStart = (ciphertext.length - TAG_BYTES) * 8;
    const fails = (f: () => unknown) => expect(f).toThrow(VaultDecryptError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ciphertext.length * 8 - 1 }), (bit) => {
        fails(() => decryptRecord(key, id, day, nonce, flip(ciphertext, bit)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: tagStart, max: ciphertext.length * 8 - 1 }), (bit) => {
        fails(() => decryptRecord(key, id, day, nonce, flip(ciphertext, bit)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: NONCE_BYTES * 8 - 1 }), (bit) => {
        fails(() => decryptRecord(key, id, day, flip(nonce, bit), ciphertext));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Buffer.byteLength(id) * 8 - 1 }), fc.integer({ min: 0, max: 79 }), (bit, dayBit) => {
        fails(() => decryptRecord(key, flip(Buffer.from(id), bit).toString('latin1'), day, nonce, ciphertext));
        fails(() => decryptRecord(key, id, flip(Buffer.from(day), dayBit).toString('latin1'), nonce, ciphertext));
      }),
    );
    fails(() => decryptRecord(createSecretKey(randomBytes(32)), id, day, nonce, ciphertext));
    fails(() => decryptRecord(key, id, day, nonce, ciphertext.subarray(0, 10)));
  });

  it('says nothing about the content when it fails', () => {
    const { nonce, ciphertext } = encryptRecord(key, 'a', '2026-03-01', { ip: '203.0.113.9' });
    try {
      decryptRecord(key, 'b', '2026-03-01', nonce, ciphertext);
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain('203.0.113.9');
      expect((e as Error).message).toMatch(/cannot be decrypted/);
    }
  });
});
