import { createHmac } from 'node:crypto';
import { E2E_INGEST_SECRET } from './constants';

/** Headers a trusted producer sends with a body for POST /api/ingest (HMAC-SHA-256 over "timestamp.body"). */
export function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000), secret = E2E_INGEST_SECRET): Record<string, string> {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'Content-Type': 'application/json', 'X-Maskpatrol-Timestamp': String(timestamp), 'X-Maskpatrol-Signature': `sha256=${hex}` };
}
