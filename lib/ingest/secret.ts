import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';

/** Name of the key-store file that may hold the ingest secret (when MASKPATROL_INGEST_SECRET is unset). */
export const INGEST_SECRET_FILE = 'ingest-secret';
export const INGEST_SECRET_MIN_CHARS = 32;

export class IngestSecretError extends Error {
  override name = 'IngestSecretError';
}

/**
 * The shared secret of POST /api/ingest as bytes (the UTF-8 of the configured string, exactly as the
 * producer uses it): MASKPATROL_INGEST_SECRET, else the trimmed text of <keys>/ingest-secret; null when
 * neither is set (the endpoint is then disabled). Read on every request, so replacing the file rotates
 * the secret without a restart.
 */
export function ingestSecret(env: Record<string, string | undefined> = process.env): Buffer | null {
  const c = loadConfig(env);
  if (c.MASKPATROL_INGEST_SECRET) return Buffer.from(c.MASKPATROL_INGEST_SECRET, 'utf8');
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(c.keysDir, INGEST_SECRET_FILE), 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IngestSecretError(`The ingest secret file in the key store cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (raw.length < INGEST_SECRET_MIN_CHARS)
    throw new IngestSecretError(`The ingest secret in the key store is shorter than ${INGEST_SECRET_MIN_CHARS} characters.`);
  return Buffer.from(raw, 'utf8');
}
