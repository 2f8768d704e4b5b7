import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIngest, type IngestDeps } from '@/lib/ingest/endpoint';
import { INGEST_MAX_BODY_BYTES, INGEST_MAX_EVENTS } from '@/lib/ingest/ingest-request';
import { createLogger, setLogger } from '@/lib/log';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { readVaultRecord } from '@/lib/masking/vault';
import { createTestDb, type TestDb } from '../helpers/db';
import { ingestEvent, signedHeaders } from '../helpers/ingest-endpoint';
import { dumpAllTables, findLeaks } from '../helpers/leaks';
import { testContext } from '../helpers/context';

/**
 * POST /api/ingest without Next.js: signature checks, replay refusal through the database, storing
 * through the masking boundary, dead letters — and canary IPs that must not reach the response, the
 * edit rows, the dead letters or the logs.
 */
const SECRET = 'test-ingest-secret-0123456789-abcdefghij';
const CANARY_V4 = '203.0.113.77';
const CANARY_V6 = '2001:db8:77::1234';

let t: TestDb;
let keysDir: string;
let keys: KeyRing;
let deps: IngestDeps;
const logLines: string[] = [];
const previousLevel = process.env.LOG_LEVEL;

beforeAll(async () => {
  t = await createTestDb();
  keysDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-ingest-')), 'keys');
  keys = new KeyRing(keysDir);
  const masker = new Masker({ keys, limits: { v4: 16, v6: 19 }, context: testContext() });
  deps = { prisma: () => t.prisma, masker: () => masker, secret: () => Buffer.from(SECRET, 'utf8') };
  process.env.LOG_LEVEL = 'trace';
  setLogger(createLogger({ write: (line: string) => void logLines.push(line) }));
});
afterAll(async () => {
  if (previousLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLevel;
  setLogger(createLogger());
  await t?.close();
  if (keysDir) fs.rmSync(path.dirname(keysDir), { recursive: true, force: true });
});

function post(body: string, headers: Record<string, string>, d: IngestDeps = deps) {
  const req = new Request('http://localhost/api/ingest', { method: 'POST', headers, body });
  return handleIngest({ headers: req.headers, body: req.body }, d);
}

const signedPost = (body: string, ts?: number) => post(body, signedHeaders(SECRET, body, ts));

describe('POST /api/ingest', () => {
  const events = [
    ingestEvent({ user: '~2026-00077-01', ip: CANARY_V4, title: `User talk:${CANARY_V4}` }),
    ingestEvent({ user: 'Registered Example', ip: CANARY_V6, comment: `reverted ${CANARY_V6}`, userAgent: undefined }),
    ingestEvent({ ip: undefined }),
    ingestEvent({ ip: `${CANARY_V4}9` }),
    ingestEvent({ meta: { id: 'canary-1', domain: 'canary' } }),
  ];
  const body = JSON.stringify({ events });
  const timestamp = Math.floor(Date.now() / 1000);
  let responses = '';

  it('stores a signed batch through the masking boundary and dead-letters invalid events, reporting counts only', async () => {
    const r = await signedPost(body, timestamp);
    responses += JSON.stringify(r);
    expect(r).toEqual({ status: 200, body: { received: 5, stored: 2, duplicates: 0, deadLettered: 2, ignored: 1 } });

    const rows = await t.prisma.edit.findMany({ where: { source: 'ingest-api' }, orderBy: { id: 'asc' } });
    expect(rows.map((e) => [e.actorKind, e.actorName, e.ipFamily])).toEqual([
      ['temp', '~2026-00077-01', 4],
      ['user', 'Registered Example', 6],
    ]);
    expect(rows[0]!.ipKey).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.range24).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.uaKey).toBeTruthy();
    expect(rows[1]!.range64).toMatch(/^[0-9a-f]{64}$/);
    // the raw address is only in the vault, encrypted
    const plain = await t.prisma.$transaction((tx) => readVaultRecord(tx, keys, rows[0]!.vaultId!));
    expect(plain).toEqual({ ip: CANARY_V4, userAgent: 'Mozilla/5.0 (test)' });

    const dead = await t.prisma.deadLetter.findMany({ where: { feed: 'ingest' }, orderBy: { id: 'asc' } });
    expect(dead.map((d) => d.reason)).toEqual(['event 2: field `ip` has the wrong type or is missing', 'event 3: field `ip` is not an IP address']);
    expect(await t.prisma.feedState.findUnique({ where: { feed: 'ingest' } })).toMatchObject({ eventsTotal: 2n, deadTotal: 2n });
  });

  it('refuses the same signed request again (409), through the database', async () => {
    const masker2 = new Masker({ keys: new KeyRing(keysDir), context: testContext() }); // another "instance"
    const r = await post(body, signedHeaders(SECRET, body, timestamp), { ...deps, masker: () => masker2 });
    responses += JSON.stringify(r);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: 'replayed' } });
    expect(await t.prisma.edit.count({ where: { source: 'ingest-api' } })).toBe(2);
    expect(await t.prisma.ingestNonce.count()).toBe(1);
  });

  it('stores nothing twice: the same events re-signed are duplicates', async () => {
    const r = await signedPost(body, timestamp + 1);
    responses += JSON.stringify(r);
    expect(r.body).toEqual({ received: 5, stored: 0, duplicates: 2, deadLettered: 2, ignored: 1 });
    expect(await t.prisma.edit.count({ where: { source: 'ingest-api' } })).toBe(2);
  });

  it('refuses unsigned, forged, tampered and expired requests with 401', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ 'content-type': 'application/json' }, body, 'unsigned'],
      [signedHeaders('another-secret-0123456789-0123456789-xyz', body), body, 'bad_signature'],
      [signedHeaders(SECRET, body), body.replace('Example page', 'Example pagf'), 'bad_signature'],
      [signedHeaders(SECRET, body, Math.floor(Date.now() / 1000) - 400), body, 'expired'],
      [signedHeaders(SECRET, body, Math.floor(Date.now() / 1000) + 400), body, 'expired'],
    ];
    for (const [headers, b, code] of cases) {
      const r = await post(b, headers);
      responses += JSON.stringify(r);
      expect(r.status, code).toBe(401);
      expect(r.body).toMatchObject({ error: { code } });
    }
    expect(await t.prisma.edit.count({ where: { source: 'ingest-api' } })).toBe(2);
  });

  it('limits the body (413) and the batch, wants JSON, and is disabled without a secret (503)', async () => {
    const big = JSON.stringify({ events: [ingestEvent({ comment: 'x'.repeat(INGEST_MAX_BODY_BYTES) })] });
    expect((await signedPost(big)).status).toBe(413);
    const many = JSON.stringify({ events: Array.from({ length: INGEST_MAX_EVENTS + 1 }, () => ({})) });
    expect(await signedPost(many)).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(await signedPost('{"events": [')).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    expect((await post(body, { ...signedHeaders(SECRET, body), 'content-type': 'text/plain' })).status).toBe(415);
    const off = await post(body, signedHeaders(SECRET, body), { ...deps, secret: () => null });
    expect(off).toMatchObject({ status: 503, body: { error: { code: 'ingest_disabled' } } });
  });

  it('no form of a canary IP reaches the responses, the database rows or the logs', async () => {
    const dump = await dumpAllTables(t.sql);
    const haystack = [responses, dump.text, logLines.join('\n')].join('\n');
    expect(dump.text).toContain('~2026-00077-01');
    expect(logLines.join('\n')).toContain('ingest batch stored');
    expect(findLeaks(haystack, [CANARY_V4, CANARY_V6])).toEqual([]);
  });

  it('forgets expired signatures', async () => {
    await t.prisma.ingestNonce.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const fresh = JSON.stringify({ events: [ingestEvent()] });
    expect((await signedPost(fresh)).status).toBe(200);
    expect(await t.prisma.ingestNonce.count()).toBe(1);
  });
});
