import type { PrismaClient } from '../db/generated/client';
import type { Sql } from '../db/sql';
import type { DeadLetter } from '../feed/result';
import type { ClusterSnapshot } from '../clustering/types';
import type { MaskedEdit, VaultWrite } from '../masking/types';

/**
 * Exactly-once storage of one batch: the masked edits, their vault rows, the dead letters and the feed's
 * cursor commit in ONE transaction, so after a crash the feed resumes from a cursor that matches what is
 * stored. Edits are keyed by (wiki, sourceId); an edit seen again (a batch re-read after a crash, or the
 * same change from two feeds) is skipped with its vault rows. Inserts are set-based (unnest of column arrays)
 * in a single statement (STORE_SQL): Prisma's per-row path is far too slow for the hot path.
 */
export interface Batch {
  feed: string;
  edits: MaskedEdit[];
  vault: VaultWrite[];
  dead: DeadLetter[];
  /** the cursor after the last item of the batch (null: leave it unchanged) */
  cursor: string | null;
  /** clusters changed by this batch's edits, with the revision that orders their snapshots */
  clusters?: { rev: bigint; snapshots: ClusterSnapshot[] };
}

export interface StoredEdit {
  id: bigint;
  wiki: string;
  sourceId: string;
}

export interface BatchResult {
  stored: StoredEdit[];
  duplicates: number;
  dead: number;
}

const EDIT_COLUMNS = `wiki text, "sourceId" text, source text, "rcId" bigint, "revId" bigint, "oldRevId" bigint, type text,
  namespace int, title text, ts timestamptz, "actorKind" text, "actorName" text, epoch text, "ipKey" text, "ipFamily" int,
  range16 text, range24 text, range32 text, range48 text, range64 text, "extraRanges" jsonb, "vaultId" uuid, "uaKey" text,
  "isAnon" bool, "isTemp" bool, "isBot" bool, "isMinor" bool, "isNew" bool, "isPatrolled" bool, comment text,
  "sizeOld" int, "sizeNew" int, "sizeDelta" int, tags text[], "logType" text, "logAction" text, "logParams" jsonb,
  "serverUrl" text, country text, "oresDamaging" float8, "oresGoodfaith" float8, mentions jsonb, score float8,
  "scoreFactors" jsonb, "clusterId" text, "evasionBlockId" uuid, "netAsn" int, "netOrg" text, "netCountry" text,
  "netType" text, "netAnon" text`;
const EDIT_NAMES = EDIT_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]).join(', ');

/** One row for json_to_recordset: only pseudonyms and masked text. */
export function editRow(e: MaskedEdit): Record<string, unknown> {
  // the range columns of the address's family (the first key of each length); other lengths go to extraRanges
  let range16: string | null = null;
  let range24: string | null = null;
  let range32: string | null = null;
  let range48: string | null = null;
  let range64: string | null = null;
  const extra: { prefix: number; key: string }[] = [];
  if (e.ip)
    for (const x of e.ip.ranges) {
      if (e.ip.family === 4 && x.prefix === 16) range16 ??= x.key;
      else if (e.ip.family === 4 && x.prefix === 24) range24 ??= x.key;
      else if (e.ip.family === 6 && x.prefix === 32) range32 ??= x.key;
      else if (e.ip.family === 6 && x.prefix === 48) range48 ??= x.key;
      else if (e.ip.family === 6 && x.prefix === 64) range64 ??= x.key;
      else extra.push({ prefix: x.prefix, key: x.key });
    }
  return {
    wiki: e.wiki,
    sourceId: e.sourceId,
    source: e.source,
    rcId: e.rcId,
    revId: e.revId,
    oldRevId: e.oldRevId,
    type: e.type,
    namespace: e.namespace,
    title: e.title,
    ts: e.timestamp,
    actorKind: e.actor.kind,
    actorName: e.actor.name,
    epoch: e.epoch,
    ipKey: e.ip?.key ?? null,
    ipFamily: e.ip?.family ?? null,
    range16,
    range24,
    range32,
    range48,
    range64,
    extraRanges: extra.length ? extra : null,
    vaultId: e.actor.vaultId ?? e.ip?.vaultId ?? null,
    uaKey: e.userAgent?.key ?? null,
    isAnon: e.isAnon,
    isTemp: e.isTemp,
    isBot: e.isBot,
    isMinor: e.isMinor,
    isNew: e.isNew,
    isPatrolled: e.isPatrolled,
    comment: e.comment,
    sizeOld: e.sizeOld,
    sizeNew: e.sizeNew,
    sizeDelta: e.sizeDelta ?? (e.sizeOld !== null && e.sizeNew !== null ? e.sizeNew - e.sizeOld : null),
    tags: e.tags,
    logType: e.logType,
    logAction: e.logAction,
    logParams: e.logParams ?? null,
    serverUrl: e.serverUrl,
    country: e.country,
    oresDamaging: e.ores?.damaging ?? null,
    oresGoodfaith: e.ores?.goodfaith ?? null,
    mentions: e.mentions.length ? e.mentions : null,
    score: e.risk?.score ?? null,
    clusterId: e.clusterId ?? null,
    evasionBlockId: e.evasionBlockId ?? null,
    netAsn: e.net?.asn && e.net.asn <= 2_147_483_647 ? e.net.asn : null,
    netOrg: e.net?.org ?? null,
    netCountry: e.net?.country ?? null,
    netType: e.net ? e.net.type : null,
    netAnon: e.net?.anon ?? null,
    scoreFactors: e.risk ? e.risk.factors.map((f) => ({ id: f.id, label: f.label, contribution: Math.round(f.contribution * 1000) / 1000 })) : null,
  };
}

/** Vault ids an edit refers to (actor address and addresses mentioned in text). */
function vaultIdsOf(e: MaskedEdit): string[] {
  const ids = e.mentions.map((m) => m.vaultId);
  if (e.actor.vaultId) ids.push(e.actor.vaultId);
  if (e.ip?.vaultId) ids.push(e.ip.vaultId);
  return ids;
}

/** The first occurrence of each (wiki, sourceId): a batch may hold the same event twice. */
export function uniqueEdits(edits: MaskedEdit[]): MaskedEdit[] {
  const seen = new Set<string>();
  const out: MaskedEdit[] = [];
  for (const e of edits) {
    const k = `${e.wiki}\0${e.sourceId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

/**
 * A dead letter the database cannot refuse: no NUL or lone surrogate in its reason, a size that fits an int.
 * (A refused dead letter would hold back the cursor it commits with.)
 */
function storableDead(d: DeadLetter): DeadLetter {
  const text = (s: string) => s.replace(/\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const size = Number.isFinite(d.size) ? Math.min(Math.max(Math.trunc(d.size), 0), 2 ** 31 - 1) : 0;
  return { source: d.source, reason: text(d.reason), size };
}

/** How a column's values are written inside its array literal (see `element`). */
type Write = 'bare' | 'json' | 'array' | 'text';
const writeOf = (type: string): Write =>
  type === 'int' || type === 'bigint' || type === 'float8' || type === 'bool' ? 'bare' : type === 'jsonb' ? 'json' : type.endsWith('[]') ? 'array' : 'text';

interface Column {
  name: string;
  quoted: string;
  type: string;
  write: Write;
}
const COLUMNS: Column[] = EDIT_COLUMNS.split(',').map((c) => {
  const [quoted, ...rest] = c.trim().split(/\s+/);
  const type = rest.join(' ');
  return { name: quoted!.replace(/"/g, ''), quoted: quoted!, type, write: writeOf(type) };
});

/** A PostgreSQL array literal of strings (each element quoted; `\\` and `"` escaped). */
function arrayLiteral(xs: readonly string[]): string {
  return `{${xs.map(quoted).join(',')}}`;
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPES = /[\\"]/g;

/** One array element as PostgreSQL reads it: quoted, with `\\` and `"` escaped (the test skips the replace). */
function quoted(x: string): string {
  return `"${NEEDS_ESCAPE.test(x) ? x.replace(ESCAPES, (c) => `\\${c}`) : x}"`;
}

/**
 * One value as an element of a one-dimensional PostgreSQL array literal: numbers and booleans bare,
 * everything else quoted; arrays (tags, vaultRefs) nested as quoted array literals, cast per row; JSON as its
 * text; bigints and dates as text; null as NULL.
 */
function element(v: unknown, how: Write): string {
  if (v === null || v === undefined) return 'NULL';
  switch (how) {
    case 'bare':
      return typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
    case 'json':
      return quoted(JSON.stringify(v));
    case 'array':
      return quoted(arrayLiteral(v as string[]));
    default:
      return quoted(v instanceof Date ? v.toISOString() : String(v));
  }
}

/**
 * The batch's rows as one array literal per column (in SRC_COLUMNS order), written here in one pass rather than
 * by `pg`, whose generic array serialiser escapes each element with two regular expressions.
 */
function columnLiterals(rows: readonly Record<string, unknown>[]): string[] {
  const out = SRC_COLUMNS.map(() => '{');
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let k = 0; k < SRC_COLUMNS.length; k++) {
      const c = SRC_COLUMNS[k]!;
      out[k] += (i ? ',' : '') + element(r[c.name], c.write);
    }
  }
  return out.map((s) => `${s}}`);
}

/** Parameter $n onwards: one array per edit column (plus vaultRefs), unnested side by side into rows. */
const FIRST_COLUMN_PARAM = 9;
const SRC_COLUMNS: Column[] = [...COLUMNS, { name: 'vaultRefs', quoted: '"vaultRefs"', type: 'uuid[]', write: 'array' }];
const UNNEST = `unnest(${SRC_COLUMNS.map((c, k) => `$${FIRST_COLUMN_PARAM + k}::${c.type.endsWith('[]') ? 'text' : c.type}[]`).join(', ')})
    AS u(${SRC_COLUMNS.map((c) => c.quoted).join(', ')})`;
const SRC_SELECT = SRC_COLUMNS.map((c) => (c.type.endsWith('[]') ? `${c.quoted}::${c.type} AS ${c.quoted}` : c.quoted)).join(', ');

/**
 * The whole batch as ONE statement (data-modifying CTEs), so it commits or fails as a unit without an
 * interactive transaction: one round trip per batch instead of seven (BEGIN, a duplicate check, four
 * inserts, COMMIT). Edits go in with ON CONFLICT DO NOTHING; a vault row goes in only when an edit that
 * refers to it ("vaultRefs", not a column of edit) was inserted, so a duplicate is skipped with its
 * vault rows; the cursor and counters move in the same statement. The edit rows arrive as one array per
 * column (unnest): PostgreSQL parses arrays of scalars at about half the CPU of the same rows as JSON objects
 * (json_to_recordset), and the store runs on the database's one core of two (bench/ingest.ts).
 */
const STORE_SQL = `
WITH src AS MATERIALIZED (
  SELECT ${SRC_SELECT} FROM ${UNNEST}
), ins AS (
  INSERT INTO edit (${EDIT_NAMES})
  SELECT ${EDIT_NAMES} FROM src
  ON CONFLICT (wiki, "sourceId") DO NOTHING
  RETURNING id, wiki, "sourceId"
), vault AS (
  INSERT INTO vault_record (id, day, nonce, ciphertext)
  SELECT v.id, v.day, decode(v.nonce, 'hex'), decode(v.ct, 'hex')
  FROM json_to_recordset($2::json) AS v(id uuid, day date, nonce text, ct text)
  WHERE v.id IN (SELECT unnest(src."vaultRefs") FROM src JOIN ins ON ins.wiki = src.wiki AND ins."sourceId" = src."sourceId")
), dead AS (
  INSERT INTO dead_letter (feed, source, reason, size)
  SELECT $1, d.source, d.reason, d.size FROM json_to_recordset($3::json) AS d(source text, reason text, size int)
), clusters AS (
  INSERT INTO cluster (id, rev, status, "mergedInto", wikis, "memberCount", "editCount", heat, "peakHeat",
    "firstSeen", "lastSeen", "closedAt", reasons, detail, "updatedAt")
  SELECT c.id, $7::bigint, c.status, c."mergedInto", ARRAY(SELECT json_array_elements_text(c.wikis)), c."memberCount",
    c."editCount", c.heat, c."peakHeat", c."firstSeen", c."lastSeen", c."closedAt", c.reasons, c.detail, now()
  FROM json_to_recordset($8::json) AS c(id text, status text, "mergedInto" text, wikis json, "memberCount" int,
    "editCount" int, heat float8, "peakHeat" float8, "firstSeen" timestamptz, "lastSeen" timestamptz,
    "closedAt" timestamptz, reasons jsonb, detail jsonb)
  ON CONFLICT (id) DO UPDATE SET rev = EXCLUDED.rev, status = EXCLUDED.status, "mergedInto" = EXCLUDED."mergedInto",
    wikis = EXCLUDED.wikis, "memberCount" = EXCLUDED."memberCount", "editCount" = EXCLUDED."editCount",
    heat = EXCLUDED.heat, "peakHeat" = EXCLUDED."peakHeat", "firstSeen" = EXCLUDED."firstSeen",
    "lastSeen" = EXCLUDED."lastSeen", "closedAt" = EXCLUDED."closedAt", reasons = EXCLUDED.reasons,
    detail = EXCLUDED.detail, "updatedAt" = now()
  WHERE cluster.rev < EXCLUDED.rev
), state AS (
  INSERT INTO feed_state (feed, cursor, "eventsTotal", "deadTotal", "lastEventAt", "updatedAt")
  VALUES ($1, $4, (SELECT count(*) FROM ins), $5, $6::timestamptz, now())
  ON CONFLICT (feed) DO UPDATE SET
    cursor = COALESCE(EXCLUDED.cursor, feed_state.cursor),
    "eventsTotal" = feed_state."eventsTotal" + EXCLUDED."eventsTotal",
    "deadTotal" = feed_state."deadTotal" + EXCLUDED."deadTotal",
    "lastEventAt" = GREATEST(feed_state."lastEventAt", EXCLUDED."lastEventAt"),
    "updatedAt" = now()
)
SELECT id, wiki, "sourceId" FROM ins`;

/**
 * Where a batch is stored: the application's Prisma client, or (the ingest hot path) a plain `pg` client on the
 * same database (lib/db/sql.ts), which hands the JSON parameters over without Prisma's raw-query overhead.
 */
export type StoreTarget = PrismaClient | Sql;

async function run(target: StoreTarget, params: unknown[]): Promise<StoredEdit[]> {
  if ('$queryRawUnsafe' in target) return target.$queryRawUnsafe<StoredEdit[]>(STORE_SQL, ...params);
  // pg returns bigint columns as strings
  const { rows } = await target.query<{ id: string; wiki: string; sourceId: string }>(STORE_SQL, params);
  return rows.map((r) => ({ id: BigInt(r.id), wiki: r.wiki, sourceId: r.sourceId }));
}

export async function storeBatch(target: StoreTarget, b: Batch): Promise<BatchResult> {
  // a second copy of an event in the same batch would bring its own vault rows: keep the first only
  const rows = uniqueEdits(b.edits).map((e) => {
    const row = editRow(e);
    row.vaultRefs = vaultIdsOf(e);
    return row;
  });
  const columns = columnLiterals(rows);
  const vault = b.vault.map((v) => ({ id: v.id, day: v.day, nonce: v.nonce.toString('hex'), ct: v.ciphertext.toString('hex') }));
  const stored = await run(target, [
    b.feed,
    JSON.stringify(vault),
    JSON.stringify(b.dead.map(storableDead)),
    b.cursor,
    b.dead.length,
    b.edits.length ? maxTs(b.edits) : null,
    (b.clusters?.rev ?? 0n).toString(),
    JSON.stringify((b.clusters?.snapshots ?? []).map(clusterRow)),
    ...columns,
  ]);
  return { stored, duplicates: b.edits.length - stored.length, dead: b.dead.length };
}

/** A cluster snapshot as a row: pseudonyms and masked titles only (the engine never sees an IP). */
function clusterRow(c: ClusterSnapshot): Record<string, unknown> {
  return {
    id: c.id,
    status: c.status,
    mergedInto: c.mergedInto,
    wikis: c.wikis,
    memberCount: c.memberCount,
    editCount: c.editCount,
    heat: c.heat,
    peakHeat: c.peakHeat,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    closedAt: c.closedAt,
    reasons: c.reasons,
    detail: { members: c.members, pages: c.pages, pageCount: c.pageCount, links: c.links, series: c.series, absorbed: c.absorbed },
  };
}

function maxTs(edits: MaskedEdit[]): string {
  let m = edits[0]!.timestamp;
  for (const e of edits) if (e.timestamp > m) m = e.timestamp;
  return m;
}

export async function readCursor(prisma: PrismaClient, feed: string): Promise<string | null> {
  const s = await prisma.feedState.findUnique({ where: { feed }, select: { cursor: true } });
  return s?.cursor ?? null;
}

/** Record a feed error for the status page (the message must already be free of event values). */
export async function recordFeedError(prisma: PrismaClient, feed: string, message: string): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO feed_state (feed, "lastError", "lastErrorAt", "updatedAt") VALUES ($1, $2, now(), now())
     ON CONFLICT (feed) DO UPDATE SET "lastError" = EXCLUDED."lastError", "lastErrorAt" = now(), "updatedAt" = now()`,
    feed,
    message.slice(0, 500),
  );
}
