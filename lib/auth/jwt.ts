import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from 'next-auth/jwt';

/**
 * next-auth's session JWT encoding (next-auth/jwt encode/decode, v4: JWE, "dir" + A256GCM under a key derived
 * from the secret with HKDF-SHA256), the same format and checks, with one difference: the derived key is
 * computed once per secret instead of on every call. next-auth derives it afresh for each encode and decode;
 * under load that HKDF was the largest single cost of a request's session check (bench/load.ts), and the key
 * is a pure function of the secret, so keeping it changes nothing else: same algorithm, same claims (iat, exp,
 * jti), same 15-second clock tolerance, same checks. Passed to next-auth as `jwt: { encode, decode }` and to
 * getToken, so every session cookie is written and read here.
 */
const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;
const keys = new Map<string, Uint8Array>();

function derivedKey(secret: string | Buffer, salt: string): Uint8Array {
  const id = `${typeof secret === 'string' ? `s:${secret}` : `b:${secret.toString('base64')}`}\0${salt}`;
  let key = keys.get(id);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`;
    key = new Uint8Array(hkdfSync('sha256', secret, salt, info, 32));
    if (keys.size >= 8) keys.clear(); // secrets change rarely (tests use a few); never grows without bound
    keys.set(id, key);
  }
  return key;
}

export async function encodeSessionToken(params: JWTEncodeParams): Promise<string> {
  const { token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt = '' } = params;
  const now = (Date.now() / 1000) | 0;
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(now + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(derivedKey(secret, salt));
}

export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret, salt = '' } = params;
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, derivedKey(secret, salt), { clockTolerance: 15 });
  return payload as JWT;
}
