import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionApiRow } from '@/lib/feed/parse-action-api';
import { parseEventStreamsLine } from '@/lib/feed/parse-eventstreams';
import { parseIrc2015Line } from '@/lib/feed/parse-irc2015';
import type { ParseResult } from '@/lib/feed/result';
import { parseIngestEvent } from '@/lib/ingest/ingest-request';
import { storeBatch, type Batch } from '@/lib/ingest/store';
import { createTestDb, type TestDb } from '../helpers/db';
import { tempDir, testMasker } from '../helpers/ingest';
import { dumpAllTables, leakReport } from '../helpers/leaks';

/**
 * Canary IPs through every feed parser the app has (EventStreams, Action API, the 2015 IRC replay format and
 * the signed ingest endpoint's events), as the editor and inside titles, summaries and log parameters, then
 * the masking boundary and storeBatch: no textual form of a canary in any table (vault ciphertext aside), and
 * a canary in a title is replaced by the same pseudonym the editor gets. The e2e leak crawl
 * (e2e/api.proof-leaks.spec.ts) does the same through the running server's /api/ingest.
 */
const V4 = '198.18.47.219';
const V6 = '2001:db8:c0de::5ca1:7';
const MAPPED = '::ffff:198.19.203.7';
const CANARIES = [V4, V6, MAPPED];
const now = Math.floor(Date.now() / 1000);
const iso = new Date(now * 1000).toISOString();

function texts(ip: string) {
  return { title: `User talk:${ip}`, comment: `Reverted edits by ${ip} (talk); see ${ip.toUpperCase()}`, parsed: `<a href="/wiki/Special:Contributions/${ip}">${ip}</a>` };
}

function esEvent(ip: string, i: number, extra: Record<string, unknown> = {}) {
  const t = texts(ip);
  return {
    meta: { id: randomUUID(), domain: 'en.wikipedia.org', dt: iso },
    id: 900_000 + i,
    type: 'edit',
    namespace: 3,
    title: t.title,
    comment: t.comment,
    parsedcomment: t.parsed,
    timestamp: now,
    user: ip,
    bot: false,
    minor: false,
    length: { old: 10, new: 20 },
    revision: { old: 500_000 + i, new: 500_001 + i },
    wiki: 'enwiki',
    server_url: 'https://en.wikipedia.org',
    ...extra,
  };
}

function parsedAll(): ParseResult[] {
  const out: ParseResult[] = [];
  CANARIES.forEach((ip, n) => {
    const t = texts(ip);
    out.push(parseEventStreamsLine(JSON.stringify(esEvent(ip, n))));
    out.push(
      parseActionApiRow(
        { type: 'log', ns: 2, title: t.title, rcid: 700_000 + n, user: ip, anon: true, timestamp: iso.replace(/\.\d+Z$/, 'Z'), comment: t.comment, parsedcomment: t.parsed, logtype: 'block', logaction: 'block', logparams: { target: `User:${ip}`, range: `${ip}/32` } },
        { wiki: 'enwiki' },
      ),
    );
    out.push(
      parseIrc2015Line(
        JSON.stringify({ time: iso, channel: '#en.wikipedia', page: t.title, user: ip, isAnonymous: true, isRobot: false, isMinor: false, isNew: false, isUnpatrolled: true, namespace: 'User talk', comment: t.comment, delta: 5, added: 5, deleted: 0, countryIsoCode: null }),
      ),
    );
    // the signed endpoint: a temporary account and a registered user, the IP only in the private field
    out.push(parseIngestEvent(esEvent('~2026-00042-7', 10 + n, { ip, userAgent: `Canary UA ${ip}` })));
    out.push(parseIngestEvent(esEvent('Registered Canary', 20 + n, { ip, title: t.title })));
  });
  return out;
}

let t: TestDb;
let keysDir: string;
beforeAll(async () => {
  t = await createTestDb();
  keysDir = tempDir('feed-leaks');
});
afterAll(async () => {
  await t?.close();
  if (keysDir) fs.rmSync(keysDir, { recursive: true, force: true });
});

describe('feed parsers → masking → store: leak check', () => {
  it('stores every canary event with no textual form of any canary outside the vault ciphertext', async () => {
    const results = parsedAll();
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual([]);
    const masker = testMasker(`${keysDir}/keys`);
    const b: Batch = { feed: 'leak-check', edits: [], vault: [], dead: [], cursor: null };
    for (const r of results) {
      if (!r.ok) continue;
      const m = masker.maskEdit(r.edit);
      b.edits.push(m.masked);
      b.vault.push(...m.vault);
    }
    await storeBatch(t.prisma, b);
    expect(Number((await t.sql('SELECT count(*)::int AS n FROM edit'))[0]!.n)).toBe(results.length);

    // a canary in a title is masked to the pseudonym its editor has ("User talk:IP-XXXX-XXXX")
    const anon = b.edits.find((e) => e.source === 'eventstreams' && e.actor.kind === 'ip')!;
    expect(anon.title).toBe(`User talk:${anon.actor.name}`);

    const dump = await dumpAllTables(t.sql);
    const hits = leakReport({ database: dump.text, batch: JSON.stringify(b.edits) }, CANARIES);
    expect(hits).toEqual([]);
    // the scan is not vacuous: the same dump with one raw address planted in it is reported
    expect(leakReport({ planted: `${dump.text}\n{"title":"User talk:${V4}"}` }, CANARIES)).toHaveLength(1);
  });
});
