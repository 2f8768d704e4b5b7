import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing for the machine endpoint POST /api/ingest (docs/ingest-endpoint.md):
 *   X-Maskpatrol-Timestamp: <unix seconds>
 *   X-Maskpatrol-Signature: sha256=<hex HMAC-SHA-256(secret, timestamp + "." + raw body)>
 * Verified in constant time; a timestamp further than MAX_SKEW_SECONDS from now is refused, and the
 * caller refuses a signature it has accepted before (lib/ingest/nonce.ts).
 */
export const TIMESTAMP_HEADER = 'x-maskpatrol-timestamp';
export const SIGNATURE_HEADER = 'x-maskpatrol-signature';
export const MAX_SKEW_SECONDS = 300;

export type SignatureFailure = 'unsigned' | 'bad_signature' | 'expired';

export type VerifyResult =
  | { ok: true; timestamp: number; digest: string }
  | { ok: false; code: SignatureFailure; message: string };

/** The hex HMAC of one request. */
export function signatureDigest(secret: Uint8Array, timestamp: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value a producer sends: "sha256=<hex>". */
export function signRequest(secret: Uint8Array, timestamp: string | number, body: Uint8Array | string): string {
  return `sha256=${signatureDigest(secret, String(timestamp), body)}`;
}

const TS = /^\d{1,12}$/;
const SIG = /^sha256=([0-9a-fA-F]{64})$/;

export interface VerifyInput {
  secret: Uint8Array;
  timestamp: string | null;
  signature: string | null;
  body: Uint8Array;
  nowMs?: number;
  maxSkewSeconds?: number;
}

/** Check one request's signature and freshness. Messages name the rule, never a header's value. */
export function verifySignature(i: VerifyInput): VerifyResult {
  const ts = i.timestamp?.trim() ?? '';
  const m = SIG.exec(i.signature?.trim() ?? '');
  if (!i.timestamp || !i.signature)
    return { ok: false, code: 'unsigned', message: 'Sign the request: X-Maskpatrol-Timestamp and X-Maskpatrol-Signature are required.' };
  if (!TS.test(ts) || !m)
    return { ok: false, code: 'bad_signature', message: 'Malformed signature headers (expected unix seconds and sha256=<64 hex digits>).' };
  const expected = Buffer.from(signatureDigest(i.secret, ts, i.body), 'hex');
  const given = Buffer.from(m[1]!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'bad_signature', message: 'The signature does not match the request.' };
  const timestamp = Number(ts);
  const skew = Math.abs((i.nowMs ?? Date.now()) / 1000 - timestamp);
  if (skew > (i.maxSkewSeconds ?? MAX_SKEW_SECONDS))
    return { ok: false, code: 'expired', message: `The request timestamp is more than ${i.maxSkewSeconds ?? MAX_SKEW_SECONDS} s from the server's clock.` };
  return { ok: true, timestamp, digest: expected.toString('hex') };
}
