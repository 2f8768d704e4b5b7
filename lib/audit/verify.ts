import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, rowHash, type AuditRowData } from './chain';
import type { CheckpointFile } from './checkpoint-file';
import { signatureValid, type Checkpoint } from './signing';

/**
 * The verifier, used by `npm run audit:verify` and the steward's chain view. It walks the chain in seq order
 * and names the FIRST broken row, then checks every signed checkpoint (database table and file) against the
 * chain and against each other. It reads through a ChainSource, so the same code runs on the database
 * (lib/audit/verify-db.ts) and on in-memory histories (the property-based test).
 */
export interface StoredRow extends AuditRowData {
  hash: string;
}

export interface ChainSource {
  /** rows with seq ≥ from, ascending, at most `limit` */
  rows(from: bigint, limit: number): Promise<StoredRow[]>;
  /** the row whose stored hash this is (hashes are unique), wherever it sits */
  rowByHash(hash: string): Promise<StoredRow | null>;
  /** the rows at these seqs (those that exist) */
  rowsAt(seqs: bigint[]): Promise<StoredRow[]>;
  /** the highest seq stored */
  lastSeq(): Promise<bigint | null>;
  /** the checkpoint table */
  checkpoints(): Promise<Checkpoint[]>;
}

export type ProblemKind =
  | 'missing' // a gap in seq: rows deleted
  | 'modified' // a row's content does not match its own hash
  | 'rewritten' // a row was modified and re-hashed: the next row still links to its old hash
  | 'inserted' // rows that are not in the chain: the next row links past them
  | 'reordered' // a row sits at another seq than it was written at (reordered, or deleted and renumbered)
  | 'tail-missing' // the chain ends before a signed checkpoint
  | 'checkpoint-mismatch' // the row at a checkpoint's seq is not the one that was signed
  | 'checkpoint-forged' // a checkpoint whose signature does not verify
  | 'checkpoint-deleted' // in the file, not in the database
  | 'checkpoint-unfiled' // in the database, not in the file
  | 'checkpoint-file'; // the file is missing or has unreadable lines

export interface Problem {
  kind: ProblemKind;
  /** the row (or checkpoint) seq the problem is named by */
  seq: bigint | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** rows verified before the first broken one (all rows when intact) */
  rows: number;
  head: { seq: bigint; hash: string } | null;
  /** the first broken row of the walk, if any */
  firstBadRow: Problem | null;
  /** every problem: the walk's first, then the checkpoints' by seq */
  problems: Problem[];
  checkpoints: { table: number; file: number | null; last: bigint | null; signedValid: number };
}

export interface VerifyOptions {
  /** public keys by keyId that checkpoints may be signed with */
  publicKeys: ReadonlyMap<string, KeyObject>;
  /** the checkpoint file as read; null when no file is to be compared */
  file: CheckpointFile | null;
  batchSize?: number;
}

const ok = (r: StoredRow) => rowHash(r) === r.hash;
/** how far from where it sits a moved row's written seq is searched for when its links do not tell */
const NEAR = 32n;

/** The seq a row was written at (its hash verifies with it), following moved predecessors a few steps back. */
async function writtenSeq(src: ChainSource, r: StoredRow, depth: number): Promise<bigint | null> {
  if (ok(r)) return r.seq;
  let base: bigint | null = null;
  if (r.prevHash === GENESIS_HASH) base = 0n;
  else if (depth > 0) {
    const o = await src.rowByHash(r.prevHash);
    if (o) base = await writtenSeq(src, o, depth - 1);
  }
  if (base !== null && rowHash({ ...r, seq: base + 1n }) === r.hash) return base + 1n;
  // its predecessor is gone too (deleted, then renumbered): try the seqs near where it sits
  for (let d = 1n; d <= NEAR; d++)
    for (const s of [r.seq + d, r.seq - d]) if (s > 0n && rowHash({ ...r, seq: s }) === r.hash) return s;
  return null;
}

async function classify(src: ChainSource, r: StoredRow, prev: StoredRow | null): Promise<Problem> {
  const seq = r.seq;
  if (!ok(r)) {
    const w = await writtenSeq(src, r, 3);
    if (w !== null && w < seq)
      return { kind: 'inserted', seq: w, message: `rows were inserted before seq ${seq}: it holds the row written as seq ${w}, and the chain was renumbered` };
    if (w !== null && w > seq)
      return { kind: 'reordered', seq, message: `seq ${seq} holds the row written as seq ${w}: rows were reordered (or deleted and the rest renumbered)` };
    return { kind: 'modified', seq, message: `seq ${seq} was modified: its content does not match its hash` };
  }
  // the row is itself intact but does not link to the row before it
  const origin = r.prevHash === GENESIS_HASH ? null : await src.rowByHash(r.prevHash);
  if (origin && origin.seq < seq - 1n) {
    const first = origin.seq + 1n;
    const span = first === seq - 1n ? `seq ${first}` : `seq ${first}–${seq - 1n}`;
    return { kind: 'inserted', seq: first, message: `${span} ${first === seq - 1n ? 'was' : 'were'} inserted: seq ${seq} links past ${first === seq - 1n ? 'it' : 'them'} to seq ${origin.seq}` };
  }
  if (origin && origin.seq >= seq)
    return { kind: 'reordered', seq, message: `seq ${seq} links to seq ${origin.seq}, which comes after it: rows were reordered` };
  if (!prev) return { kind: 'modified', seq, message: `seq ${seq} was modified: the first row must link to the genesis hash` };
  return {
    kind: 'rewritten',
    seq: prev.seq,
    message: `seq ${prev.seq} was modified and re-hashed (or seq ${seq}'s link was rewritten): seq ${seq} links to a hash that no row has`,
  };
}

async function walk(src: ChainSource, batchSize: number) {
  let prev: StoredRow | null = null;
  let expect = 1n;
  let rows = 0;
  for (;;) {
    const batch = await src.rows(expect, batchSize);
    for (const r of batch) {
      if (r.seq !== expect) {
        const span = r.seq - 1n === expect ? `seq ${expect} is` : `seq ${expect}–${r.seq - 1n} are`;
        return { rows, head: prev, problem: { kind: 'missing', seq: expect, message: `${span} missing (deleted)` } as Problem };
      }
      const linkOk = r.prevHash === (prev ? prev.hash : GENESIS_HASH);
      if (!linkOk || !ok(r)) return { rows, head: prev, problem: await classify(src, r, prev) };
      prev = r;
      expect = r.seq + 1n;
      rows++;
    }
    if (batch.length < batchSize) return { rows, head: prev, problem: null };
  }
}

async function checkCheckpoints(src: ChainSource, opts: VerifyOptions, lastSeq: bigint | null) {
  const problems: Problem[] = [];
  const table = await src.checkpoints();
  const file = opts.file;
  const valid = new Map<bigint, Checkpoint>();
  const consider = (c: Checkpoint, where: string) => {
    if (!signatureValid(c, opts.publicKeys)) {
      const why = opts.publicKeys.has(c.keyId) ? 'its signature does not verify' : `it is signed by an unknown key (${c.keyId})`;
      problems.push({ kind: 'checkpoint-forged', seq: c.seq, message: `the checkpoint at seq ${c.seq} in ${where} is forged: ${why}` });
    } else valid.set(c.seq, c);
  };
  for (const c of table) consider(c, 'the database');
  if (file) {
    if (!file.exists && table.length)
      problems.push({ kind: 'checkpoint-file', seq: null, message: 'the checkpoint file is missing, but the database holds checkpoints' });
    for (const line of file.bad)
      problems.push({ kind: 'checkpoint-file', seq: null, message: `line ${line} of the checkpoint file is not a checkpoint` });
    const bySeq = new Map(table.map((c) => [c.seq, c]));
    const inFile = new Set<bigint>();
    for (const f of file.records) {
      inFile.add(f.seq);
      const t = bySeq.get(f.seq);
      if (!t) {
        consider(f, `the checkpoint file (line ${f.line})`);
        problems.push({ kind: 'checkpoint-deleted', seq: f.seq, message: `the checkpoint at seq ${f.seq} (file line ${f.line}) is missing from the database (deleted)` });
      } else if (t.hash !== f.hash || t.signature !== f.signature || t.keyId !== f.keyId || t.createdAt.getTime() !== f.createdAt.getTime()) {
        consider(f, `the checkpoint file (line ${f.line})`);
        problems.push({ kind: 'checkpoint-mismatch', seq: f.seq, message: `the checkpoint at seq ${f.seq} differs between the database and the file (line ${f.line})` });
      }
    }
    if (file.exists)
      for (const t of table)
        if (!inFile.has(t.seq))
          problems.push({ kind: 'checkpoint-unfiled', seq: t.seq, message: `the checkpoint at seq ${t.seq} is in the database but not in the checkpoint file` });
  }
  // every validly signed checkpoint must match the chain
  const seqs = [...valid.keys()].sort((a, b) => (a < b ? -1 : 1));
  const found = new Map<bigint, StoredRow>();
  for (let i = 0; i < seqs.length; i += 1000) for (const r of await src.rowsAt(seqs.slice(i, i + 1000))) found.set(r.seq, r);
  for (const s of seqs) {
    const c = valid.get(s)!;
    const r = found.get(s);
    if (!r && (lastSeq === null || s > lastSeq))
      problems.push({ kind: 'tail-missing', seq: s, message: `the chain ends at ${lastSeq === null ? 'no row' : `seq ${lastSeq}`}, but a signed checkpoint records seq ${s}: rows after seq ${lastSeq ?? 0n} were deleted` });
    else if (!r) problems.push({ kind: 'missing', seq: s, message: `seq ${s}, recorded by a signed checkpoint, is missing (deleted)` });
    else if (r.hash !== c.hash)
      problems.push({ kind: 'checkpoint-mismatch', seq: s, message: `seq ${s} is not the row its signed checkpoint recorded: rows up to seq ${s} were rewritten` });
  }
  problems.sort((a, b) => (a.seq ?? 0n) < (b.seq ?? 0n) ? -1 : (a.seq ?? 0n) > (b.seq ?? 0n) ? 1 : 0);
  return {
    problems,
    counts: { table: table.length, file: file ? file.records.length : null, last: seqs.length ? seqs[seqs.length - 1]! : null, signedValid: valid.size },
  };
}

export async function verifyAudit(src: ChainSource, opts: VerifyOptions): Promise<VerifyReport> {
  const w = await walk(src, opts.batchSize ?? 1000);
  // the last seq actually stored (the walk may have stopped early)
  const lastSeq = w.problem ? await src.lastSeq() : (w.head?.seq ?? null);
  const cp = await checkCheckpoints(src, opts, lastSeq);
  const problems = [...(w.problem ? [w.problem] : []), ...cp.problems];
  return {
    ok: problems.length === 0,
    rows: w.rows,
    head: w.head ? { seq: w.head.seq, hash: w.head.hash } : null,
    firstBadRow: w.problem,
    problems,
    checkpoints: cp.counts,
  };
}
