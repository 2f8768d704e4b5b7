import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BlockMatcher } from '@/lib/blocks/matcher';
import { MAX_ATTEMPTS, runBlockSync } from '@/lib/blocks/sync';
import type { BlockDeps } from '@/lib/blocks/targets';
import { ClusterTracker } from '@/lib/clustering/tracker';
import { actionApiFeed } from '@/lib/feed/action-api-poller';
import { runFeed } from '@/lib/ingest/ingester';
import { createLogger, setLogger } from '@/lib/log';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { createScorer } from '@/lib/scoring/score';
import { createBlock } from '@/lib/services/block-create';
import { removeBlock } from '@/lib/services/block-change';
import { ctx, makeActor } from '../helpers/actors';
import { createTestDb, type TestDb } from '../helpers/db';
import { dumpAllTables, findLeaks } from '../helpers/leaks';
import { startMediaWiki, type MediaWiki } from '../helpers/mediawiki';
import { accountEdit, anonymousEdit, wikiBlocks } from '../helpers/mediawiki-client';

/**
 * The round trip against a real MediaWiki (tests/helpers/mediawiki.ts): anonymous edits from real, different
 * addresses in two /24s → the Action API adapter and the ingester → masked, stored, clustered → an admin
 * range-blocks the vandals' /24 by pseudonym → the sync places the block on the wiki, which refuses the next
 * edit from that /24 and not from the innocent one → unblock lifts it → every step audited, no address stored
 * outside the vault or logged. Then the wiki dies in the middle of a sync and comes back.
 */
const WIKI = 'testwiki';
// like Special:BotPasswords' own: 32 characters of [0-9a-z] (MediaWiki refused this login with hyphens in it)
const BOT_PASSWORD = randomBytes(16).toString('hex');
const VANDALS = ['127.0.1.10', '127.0.1.11', '127.0.1.12', '127.0.1.13'];
const INNOCENT = ['127.0.2.20', '127.0.2.21', '127.0.2.22'];
const CANARIES = [...VANDALS, ...INNOCENT, '127.0.1.77', '127.0.1.78', '127.0.1.79', '127.0.2.5', '127.0.1.0'];
const LONG = 'An encyclopedic paragraph about a quiet village. '.repeat(60);

let t: TestDb;
let mw: MediaWiki;
let deps: BlockDeps;
let root: string;
const feed = new AbortController();
let feedDone: Promise<unknown>;
const logged: string[] = [];

beforeAll(async () => {
  mw = await startMediaWiki({ botPassword: BOT_PASSWORD });
  t = await createTestDb();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-mw-'));
  const keysDir = path.join(root, 'keys');
  const keys = new KeyRing(keysDir);
  const limits = { v4: 16, v6: 19 };
  deps = {
    keys,
    keysDir,
    limits,
    now: () => new Date(),
    wikis: [{ wiki: WIKI, api: mw.api, import: false, sync: true, botUser: mw.botUser, botPassword: BOT_PASSWORD }],
    // retries within a test's time: 50 ms · 2^attempts, at most 200 ms
    syncBackoff: { baseMs: 50, maxMs: 200 },
  };
  const logger = createLogger(new Writable({ write: (c: Buffer, _e, cb) => (logged.push(c.toString()), cb()) }));
  logger.level = 'debug';
  setLogger(logger);
  const since = Date.now() - 2_000;
  const matcher = new BlockMatcher(() => t.prisma, keys, keysDir, () => Date.now());
  feedDone = runFeed(
    {
      name: `action-api:${WIKI}`,
      restartOnEnd: true,
      open: (cursor, signal) => actionApiFeed({ apiUrl: mw.api, wiki: WIKI, contact: 'maskpatrol tests', cursor, since, intervalMs: 100, signal, backoff: { initialMs: 50, maxMs: 500 } }),
    },
    { prisma: () => t.prisma, masker: new Masker({ keys, limits }), scorer: createScorer(), clusters: new ClusterTracker(), blocks: matcher, flushMs: 20 },
    feed.signal,
  );
});

afterAll(async () => {
  feed.abort();
  await feedDone?.catch(() => {});
  await mw?.stop();
  await t?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function storedEdits(min: number) {
  await vi.waitFor(async () => expect(await t.prisma.edit.count({ where: { wiki: WIKI } })).toBeGreaterThanOrEqual(min), { timeout: 30_000, interval: 100 });
  return t.prisma.edit.findMany({ where: { wiki: WIKI }, orderBy: { id: 'asc' } });
}

async function noLeaks() {
  const { text } = await dumpAllTables(t.sql, ['vault_record.ciphertext', 'block.anchorCt']);
  expect(findLeaks(text, CANARIES)).toEqual([]);
  expect(findLeaks(logged.join(''), CANARIES)).toEqual([]);
  expect(logged.join('')).not.toContain(BOT_PASSWORD);
}

describe('a real MediaWiki round trip', () => {
  let blockId: string;

  it('ingests anonymous edits from two /24s through the Action API adapter, masked and clustered', async () => {
    for (const title of ['Vandal target A', 'Vandal target B']) await accountEdit(mw.api, mw.botUser, BOT_PASSWORD, title, LONG, 'seed');
    // the vandals hop through 127.0.1.0/24, blanking the same two pages; the innocent editors each write their own page
    for (const [i, ip] of VANDALS.entries())
      for (const title of ['Vandal target A', 'Vandal target B']) expect(await anonymousEdit(mw.api, ip, title, `lol ${i}`, 'lol')).toBeNull();
    for (const [i, ip] of INNOCENT.entries()) expect(await anonymousEdit(mw.api, ip, `Innocent page ${i}`, `${LONG} ${i}`, 'new article')).toBeNull();

    const edits = await storedEdits(2 + VANDALS.length * 2 + INNOCENT.length);
    expect(edits.filter((e) => e.comment === 'seed').map((e) => [e.actorKind, e.actorName])).toEqual([['user', 'Admin'], ['user', 'Admin']]);
    const anon = edits.filter((e) => e.comment !== 'seed');
    expect(anon.every((e) => e.actorKind === 'ip' && e.isAnon && e.ipKey && e.range24 && e.vaultId && /^IP-/.test(e.actorName))).toBe(true);
    const vandal = edits.filter((e) => e.comment === 'lol');
    const innocent = edits.filter((e) => e.comment === 'new article');
    expect(new Set(vandal.map((e) => e.ipKey)).size).toBe(VANDALS.length);
    expect(new Set(vandal.map((e) => e.range24)).size).toBe(1);
    expect(new Set(innocent.map((e) => e.range24)).size).toBe(1);
    expect(innocent[0]!.range24).not.toBe(vandal[0]!.range24);
    // one cluster holds every vandal; none of the innocent editors is in it
    const cluster = vandal.at(-1)!.clusterId;
    expect(cluster).toBeTruthy();
    await vi.waitFor(async () => {
      const c = await t.prisma.cluster.findUniqueOrThrow({ where: { id: cluster! } });
      expect(c.memberCount).toBe(VANDALS.length);
    });
    expect(innocent.filter((e) => e.clusterId === cluster)).toEqual([]);
    await noLeaks();
  });

  it('a range block by pseudonym reaches the wiki: the /24 is refused, the other /24 is not; unblock lifts it; all audited', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const from = (await t.prisma.edit.findFirstOrThrow({ where: { wiki: WIKI, comment: 'lol' } })).ipKey!;
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'range', from, prefix: 24 }, options: { wiki: WIKI, expiry: '1 day', reasonPreset: 'Vandalism' } }, deps);
    blockId = b.id;
    expect(b.targetLabel).toMatch(/^R24-/);
    expect(await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ syncStatus: 'pending' });

    await runBlockSync(t.prisma, deps);
    const row = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(row).toMatchObject({ syncStatus: 'done', syncError: null });
    expect(await wikiBlocks(mw.api)).toEqual([expect.objectContaining({ id: row.remoteId, user: '127.0.1.0/24' })]);

    expect(await anonymousEdit(mw.api, '127.0.1.77', 'Vandal target A', 'again')).toBe('blocked');
    expect(await anonymousEdit(mw.api, '127.0.2.5', 'Innocent page 0', `${LONG} fixed`, 'copyedit')).toBeNull();
    // the innocent edit is ingested like any other (and so is the wiki's block log entry, its target masked)
    await vi.waitFor(async () => expect(await t.prisma.edit.findFirst({ where: { wiki: WIKI, comment: 'copyedit' } })).toMatchObject({ evasionBlockId: null }), { timeout: 30_000, interval: 100 });
    await vi.waitFor(async () => expect(await t.prisma.edit.count({ where: { wiki: WIKI, logType: 'block' } })).toBe(1), { timeout: 30_000, interval: 100 });

    await removeBlock(ctx(admin, t.prisma), { blockId: b.id, reason: 'lifted' }, deps);
    expect(await runBlockSync(t.prisma, deps)).toEqual({ pushed: 1, failed: 0 });
    expect(await wikiBlocks(mw.api)).toEqual([]);
    expect(await anonymousEdit(mw.api, '127.0.1.78', 'Vandal target A', 'restored text', 'revert')).toBeNull();

    const audit = await t.prisma.auditEvent.findMany({ where: { targetType: 'block', targetId: b.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorName])).toEqual([
      ['block.create', admin.username],
      ['block.sync', 'block-sync'],
      ['block.remove', admin.username],
      ['block.sync', 'block-sync'],
    ]);
    expect(audit.map((a) => (a.after as { sync?: { op: string } } | null)?.sync?.op ?? null)).toEqual([null, 'block', null, 'unblock']);
    await noLeaks();
  });

  it('the wiki dying mid-sync leaves the block pending with the error visible and audited; it completes when the wiki is back', async () => {
    const admin = await makeActor(t.prisma, 'admin');
    const from = (await t.prisma.edit.findFirstOrThrow({ where: { wiki: WIKI, comment: 'lol' }, orderBy: { id: 'desc' } })).ipKey!;
    const b = await createBlock(ctx(admin, t.prisma), { target: { type: 'range', from, prefix: 24 }, options: { wiki: WIKI, expiry: '1 day', reasonPreset: 'Vandalism', reasonText: 'second' } }, deps);
    expect(blockId).not.toBe(b.id);

    // logged in, token fetched: the wiki dies just as the block itself is sent
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(init?.body ?? '').includes('action=block')) await mw.kill();
      return realFetch(input, init);
    });
    try {
      expect(await runBlockSync(t.prisma, deps)).toEqual({ pushed: 0, failed: 1 });
    } finally {
      spy.mockRestore();
    }
    let row = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(row).toMatchObject({ syncStatus: 'pending', syncError: 'network', syncAttempts: 1 });

    // down for longer than MAX_ATTEMPTS retries: still pending, one audit row for the error (not one per retry)
    for (let i = 0; i < MAX_ATTEMPTS + 1; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await runBlockSync(t.prisma, deps);
    }
    row = await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } });
    expect(row.syncStatus).toBe('pending');
    expect(row.syncAttempts).toBeGreaterThan(MAX_ATTEMPTS);
    const failures = await t.prisma.auditEvent.findMany({ where: { targetId: b.id, action: 'block.sync-failed' } });
    expect(failures.map((a) => [a.actorName, (a.after as { sync: { error: string; status: string } }).sync])).toEqual([['block-sync', { status: 'pending', error: 'network', attempts: 1 }]]);

    await mw.restart();
    await new Promise((r) => setTimeout(r, 250));
    expect(await runBlockSync(t.prisma, deps)).toEqual({ pushed: 1, failed: 0 });
    expect(await t.prisma.block.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ syncStatus: 'done', syncError: null, syncAttempts: 0 });
    expect(await wikiBlocks(mw.api)).toEqual([expect.objectContaining({ user: '127.0.1.0/24' })]);
    expect(await anonymousEdit(mw.api, '127.0.1.79', 'Vandal target B', 'again')).toBe('blocked');
    expect(logged.join('')).toContain('pushing a block to its wiki failed');
    await noLeaks();
  });
});
