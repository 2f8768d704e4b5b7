import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/generated/client';
import { db } from '../db/client';
import { loadConfig } from '../config';
import { LIMITS, TOO_DEEP, parseJsonSafe, valueDepth } from '../feed/limits';
import { zodReason, type DeadLetter } from '../feed/result';
import { log } from '../log';
import { KeyRing } from '../masking/keyring';
import { Masker } from '../masking/mask';
import { sharedIpContext } from '../context/shared';
import type { MaskedEdit, VaultWrite } from '../masking/types';
import { publishStored } from './bus';
import { INGEST_MAX_BODY_BYTES, parseIngestEvent, ZIngestRequest } from './ingest-request';
import { countStored } from './metrics';
import { claimSignature, releaseSignature } from './nonce';
import { ingestSecret, IngestSecretError } from './secret';
import { MAX_SKEW_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature';
import { storeBatch } from './store';
import { sharedScorer } from '../scoring/shared';
import { sharedClusterTracker } from '../clustering/tracker';
import { sharedBlockMatcher } from '../blocks/shared';

/**
 * POST /api/ingest, free of Next.js: a trusted producer's signed batch → masking boundary → storeBatch
 * (edits, vault rows and dead letters in one transaction, exactly-once by (wiki, meta.id)). Authenticated
 * by its HMAC signature instead of a session, so it is exempt from the Origin check and the sign-in
 * proxy. Responses and logs carry counts and codes only — never an IP, a header value or the body.
 */
export const INGEST_FEED = 'ingest';

export interface IngestHttpRequest {
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

export interface IngestHttpResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface IngestCounts {
  received: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  ignored: number;
}

export interface IngestDeps {
  prisma(): PrismaClient;
  masker(): Masker;
  /** null: endpoint disabled */
  secret(): Buffer | null;
  now?(): number;
  feed?: string;
}

const g = globalThis as unknown as { __maskpatrolIngestMasker?: { dir: string; masker: Masker } };

function serverMasker(): Masker {
  const dir = loadConfig().keysDir;
  if (g.__maskpatrolIngestMasker?.dir !== dir) g.__maskpatrolIngestMasker = { dir, masker: new Masker({ keys: new KeyRing(dir), context: sharedIpContext() }) };
  return g.__maskpatrolIngestMasker.masker;
}

export const serverIngestDeps: IngestDeps = { prisma: db, masker: serverMasker, secret: () => ingestSecret() };

const error = (status: number, code: string, message: string): IngestHttpResponse => ({ status, body: { error: { code, message } } });

export async function handleIngest(req: IngestHttpRequest, deps: IngestDeps = serverIngestDeps): Promise<IngestHttpResponse> {
  const requestId = randomUUID();
  const refuse = (status: number, code: string, message: string) => {
    log().warn({ requestId, status, code }, 'ingest request refused');
    return error(status, code, message);
  };
  try {
    let secret: Buffer | null;
    try {
      secret = deps.secret();
    } catch (err) {
      if (!(err instanceof IngestSecretError)) throw err;
      log().error({ requestId, err: { name: err.name, message: err.message } }, 'ingest endpoint misconfigured');
      return error(503, 'ingest_misconfigured', 'The ingest endpoint is misconfigured (see the server log).');
    }
    if (!secret)
      return error(503, 'ingest_disabled', 'The ingest endpoint is disabled: set MASKPATROL_INGEST_SECRET or put a secret in the key store file ingest-secret.');
    if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json'))
      return refuse(415, 'unsupported_media_type', 'Send a JSON body (Content-Type: application/json).');
    const declared = Number(req.headers.get('content-length') ?? '0');
    if (declared > INGEST_MAX_BODY_BYTES) return refuse(413, 'too_large', `The body is larger than ${INGEST_MAX_BODY_BYTES} bytes.`);
    const body = await readLimited(req.body, INGEST_MAX_BODY_BYTES);
    if (!body) return refuse(413, 'too_large', `The body is larger than ${INGEST_MAX_BODY_BYTES} bytes.`);

    const nowMs = deps.now?.() ?? Date.now();
    const v = verifySignature({
      secret,
      timestamp: req.headers.get(TIMESTAMP_HEADER),
      signature: req.headers.get(SIGNATURE_HEADER),
      body,
      nowMs,
    });
    if (!v.ok) return refuse(401, v.code, v.message);
    const prisma = deps.prisma();
    const expiresAt = new Date((v.timestamp + 2 * MAX_SKEW_SECONDS) * 1000);
    if (!(await claimSignature(prisma, v.digest, expiresAt, new Date(nowMs))))
      return refuse(409, 'replayed', 'This signed request was already received; sign every request anew.');

    // no depth cap on the whole body: each event's depth is checked below, so a deep one is dead-lettered alone
    const json = parseJsonSafe(body, { maxBytes: INGEST_MAX_BODY_BYTES, maxDepth: null });
    if (!json.ok) return refuse(400, 'invalid_json', `The body is not acceptable JSON: ${json.reason}.`);
    const request = ZIngestRequest.safeParse(json.value);
    if (!request.success) return refuse(400, 'invalid', `Invalid request: ${zodReason(request.error)}.`);

    const counts: IngestCounts = { received: request.data.events.length, stored: 0, duplicates: 0, deadLettered: 0, ignored: 0 };
    const edits: MaskedEdit[] = [];
    const vault: VaultWrite[] = [];
    const dead: DeadLetter[] = [];
    const masker = deps.masker();
    const blocks = sharedBlockMatcher();
    request.data.events.forEach((event, i) => {
      if (valueDepth(event) > LIMITS.maxJsonDepth) return void dead.push({ source: 'ingest-api', reason: `event ${i}: ${TOO_DEEP}`, size: 0 });
      const size = Buffer.byteLength(JSON.stringify(event) ?? '');
      const r = parseIngestEvent(event);
      if (!r.ok) {
        if (r.ignore) counts.ignored++;
        else dead.push({ source: 'ingest-api', reason: `event ${i}: ${r.reason}`, size });
        return;
      }
      try {
        const m = masker.maskEdit(r.edit, blocks.maskContext());
        const evades = blocks.match(m.masked);
        if (evades) m.masked.evasionBlockId = evades;
        m.masked.risk = sharedScorer().score(m.masked);
        m.masked.clusterId = sharedClusterTracker().observe(m.masked.sourceId, m.masked);
        edits.push(m.masked);
        vault.push(...m.vault);
      } catch (err) {
        // the boundary's errors name fields only, never values
        dead.push({ source: 'ingest-api', reason: `event ${i}: masking: ${(err as Error).message}`, size });
      }
    });

    const feed = deps.feed ?? INGEST_FEED;
    let result;
    try {
      result = await storeBatch(prisma, { feed, edits, vault, dead, cursor: null, clusters: sharedClusterTracker().take() });
    } catch (err) {
      // nothing was stored: let the producer send the same request again
      await releaseSignature(prisma, v.digest).catch(() => {});
      throw err;
    }
    counts.stored = result.stored.length;
    counts.duplicates = result.duplicates;
    counts.deadLettered = result.dead;
    countStored(feed, result.stored.length);
    if (result.stored.length) publishStored({ feed, ids: result.stored.map((s) => s.id.toString()) });
    log().info({ requestId, feed, ...counts }, 'ingest batch stored');
    return { status: 200, body: { ...counts } };
  } catch (err) {
    log().error({ requestId, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'ingest request failed');
    return error(500, 'internal', `Something went wrong (request ${requestId}).`);
  }
}

/** The body's bytes, or null when it exceeds `max` (reading stops there). */
async function readLimited(stream: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | null> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
