/**
 * npm run bench:audit [-- --rows 200000] [--pg-url postgresql://…]
 *
 * How long the audit verifier takes on PostgreSQL: a chain of --rows rows (built with the real hashing code,
 * bulk-inserted) with a signed checkpoint every 100 rows (table and file), verified by `verifyDatabase` — the
 * code behind `npm run audit:verify` and "Verify now". Baseline, in the same run: reading the same rows in the
 * same batches without hashing or checking anything. Prints rows/s and the ratio; writes
 * bench/results/audit-verify.json.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { GENESIS_HASH, rowHash, type AuditRowData } from '../lib/audit/chain';
import { appendCheckpointFile, readCheckpointFile } from '../lib/audit/checkpoint-file';
import { generateSigningKey, keyMap, signCheckpoint, type Checkpoint } from '../lib/audit/signing';
import { dbSource } from '../lib/audit/verify-db';
import { verifyAudit } from '../lib/audit/verify';
import { pgMigrationFactory, prismaForPg } from '../lib/db/client';
import { deployMigrations } from '../lib/db/migrate';
import { cliArg, writeReport } from './report';

const argv = process.argv.slice(2);
const arg = (name: string) => cliArg(name, argv);
const ROWS = Number(arg('rows') ?? 200_000);
const PG_ADMIN = arg('pg-url') ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const EVERY = 100;
const ACTIONS = ['edit.review', 'whitelist.add', 'role.grant', 'user.create', 'ip.reveal'];

const name = `mp_bench_audit_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const u = new URL(PG_ADMIN);
u.pathname = `/${name}`;
const url = u.toString();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-audit-'));
const prisma = prismaForPg({ connectionString: url, max: 4 });
try {
  await deployMigrations(pgMigrationFactory({ connectionString: url }));
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const key = generateSigningKey();
  const file = path.join(dir, 'audit-checkpoints.jsonl');
  let prev = GENESIS_HASH;
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  let chunk: object[] = [];
  const cps: Checkpoint[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    await raw.query('INSERT INTO audit_event SELECT * FROM jsonb_populate_recordset(NULL::audit_event, $1::jsonb)', [JSON.stringify(chunk)]);
    chunk = [];
  };
  for (let i = 1; i <= ROWS; i++) {
    const r: AuditRowData = {
      seq: BigInt(i),
      createdAt: new Date(t0 + i * 1000),
      actorType: 'user',
      actorId: `00000000-0000-4000-8000-${String(i % 50).padStart(12, '0')}`,
      actorName: `patroller-${i % 50}`,
      action: ACTIONS[i % ACTIONS.length]!,
      targetType: 'edit',
      targetId: String(1_000_000 + i),
      wiki: i % 3 ? 'enwiki' : 'dewiki',
      reason: i % 7 ? null : 'looks like vandalism from the same range as yesterday',
      before: null,
      after: { reviewed: true, outcome: i % 2 ? 'fine' : 'reverted' },
      request: { via: 'web', requestId: `req-${i}` },
      prevHash: prev,
    };
    const hash = rowHash(r);
    chunk.push({ ...r, seq: i, createdAt: r.createdAt.toISOString(), hash });
    prev = hash;
    if (i % EVERY === 0) cps.push(signCheckpoint(key, { seq: r.seq, hash }, new Date(t0 + i * 1000 + 500)));
    if (chunk.length === 5000) await flush();
  }
  await flush();
  for (const c of cps) appendCheckpointFile(file, c);
  await raw.query('INSERT INTO audit_checkpoint SELECT * FROM jsonb_populate_recordset(NULL::audit_checkpoint, $1::jsonb)', [
    JSON.stringify(cps.map((c) => ({ ...c, seq: Number(c.seq), createdAt: c.createdAt.toISOString() }))),
  ]);
  await raw.query('ANALYZE audit_event');
  await raw.end();

  // baseline: the same batched reads, nothing checked (a warm-up pass first; the faster of two timed passes)
  const src = dbSource(prisma);
  const readAll = async () => {
    const t = performance.now();
    let read = 0;
    for (let from = 1n; ; ) {
      const b = await src.rows(from, 1000);
      read += b.length;
      if (b.length < 1000) break;
      from = b[b.length - 1]!.seq + 1n;
    }
    if (read !== ROWS) throw new Error(`read ${read} rows, expected ${ROWS}`);
    return performance.now() - t;
  };
  await readAll();
  let readMs = await readAll();
  const start = performance.now();
  const report = await verifyAudit(src, { publicKeys: keyMap([key.publicKey]), file: readCheckpointFile(file) });
  const verifyMs = performance.now() - start;
  readMs = Math.min(readMs, await readAll());
  if (!report.ok) throw new Error(`the benchmark chain did not verify: ${report.problems[0]?.message}`);

  const result = {
    rows: ROWS,
    checkpoints: cps.length,
    readMs: Math.round(readMs),
    verifyMs: Math.round(verifyMs),
    rowsPerSecond: Math.round(ROWS / (verifyMs / 1000)),
    ratioToRead: Number((verifyMs / readMs).toFixed(2)),
  };
  console.log(`audit verifier on PostgreSQL: ${ROWS} rows, ${cps.length} checkpoints`);
  console.log(`  read only (baseline): ${result.readMs} ms`);
  console.log(`  verify:               ${result.verifyMs} ms (${result.rowsPerSecond} rows/s, ${result.ratioToRead}× the read)`);
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/audit-verify.json', JSON.stringify(result, null, 2) + '\n');
  writeReport('audit', [
    {
      metric: `verify ${ROWS.toLocaleString('en-US')} rows (PostgreSQL)`,
      value: result.rowsPerSecond,
      unit: 'rows/s',
      baseline: { label: 'the same batched reads, unchecked', value: Math.round(ROWS / (readMs / 1000)), unit: 'rows/s' },
      ratio: +(readMs / verifyMs).toFixed(2), // value ÷ baseline (rows/s): verifying runs at this fraction of reading
      target: null,
      met: null,
    },
  ]);
} finally {
  await prisma.$disconnect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
