import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, keyMap, signCheckpoint, type Checkpoint } from '@/lib/audit/signing';
import { verifyAudit, type ProblemKind, type StoredRow, type VerifyReport } from '@/lib/audit/verify';
import { memorySource } from '@/lib/audit/verify-db';
import type { CheckpointFile } from '@/lib/audit/checkpoint-file';
import {
  buildRows,
  checkpointsAt,
  entryArb,
  fileOf,
  hashRow,
  modificationArb,
  modify,
  rehashFrom,
  renumberFrom,
} from '../helpers/audit-history';

/**
 * Acceptance (issue #9): for random audit histories, every single-row modification, deletion, insertion and
 * reordering, and every checkpoint deletion, is detected by the verifier — and named by the right seq.
 * Histories end with a checkpoint at the head (as right after a reveal); the remaining window (rows after
 * the last checkpoint) is the last property.
 */
const key = generateSigningKey();
const keys = keyMap([key.publicKey]);
const RUNS = 150;

interface History {
  rows: StoredRow[];
  cps: Checkpoint[];
}

/** 1–25 rows, checkpoints at random seqs plus the head. */
const historyArb: fc.Arbitrary<History> = fc
  .array(entryArb, { minLength: 1, maxLength: 25 })
  .chain((entries) =>
    fc.array(fc.integer({ min: 1, max: entries.length }), { maxLength: 4 }).map((extra) => {
      const rows = buildRows(entries);
      return { rows, cps: checkpointsAt(rows, [...extra.map(BigInt), BigInt(rows.length)], key) };
    }),
  );

async function verify(rows: StoredRow[], table: Checkpoint[], file: CheckpointFile = fileOf(table)): Promise<VerifyReport> {
  return verifyAudit(memorySource(rows, table), { publicKeys: keys, file, batchSize: 7 });
}

function expectProblem(r: VerifyReport, kind: ProblemKind, seq: number | bigint) {
  expect(r.ok).toBe(false);
  expect(r.problems).toContainEqual(expect.objectContaining({ kind, seq: BigInt(seq) }));
}

const pick = (h: History) => fc.integer({ min: 0, max: h.rows.length - 1 });

describe('verifier (property-based)', () => {
  it('passes every untouched history', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const r = await verify(h.rows, h.cps);
        expect(r.problems).toEqual([]);
        expect(r).toMatchObject({ ok: true, rows: h.rows.length });
      }),
      { numRuns: RUNS },
    );
  });

  it('detects every single-row modification and names that row', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb.chain((h) => fc.tuple(fc.constant(h), pick(h), modificationArb)), async ([h, i, m]) => {
        const rows = h.rows.map((r, j) => (j === i ? modify(r, m) : r));
        const r = await verify(rows, h.cps);
        expect(r.firstBadRow).toMatchObject({ kind: 'modified', seq: BigInt(i + 1) });
      }),
      { numRuns: RUNS },
    );
  });

  it('detects a modified row that was re-hashed (alone, or with every row after it)', async () => {
    // (changing the hash column and then re-hashing changes nothing: not an attack)
    const contentArb = modificationArb.filter((m) => m !== 'hash');
    await fc.assert(
      fc.asyncProperty(historyArb.chain((h) => fc.tuple(fc.constant(h), pick(h), contentArb, fc.boolean())), async ([h, i, m, tail]) => {
        const changed = h.rows.map((r, j) => (j === i ? hashRow(modify(r, m)) : r));
        const rows = tail ? rehashFrom(changed, i + 1) : changed;
        const r = await verify(rows, h.cps);
        expect(r.ok).toBe(false);
        // a rewritten link is indistinguishable from a re-hashed predecessor: either row may be named
        if (!tail && m === 'prevHash') expect([BigInt(i), BigInt(i + 1)]).toContain(r.firstBadRow?.seq);
        else if (!tail && i < h.rows.length - 1) expect(r.firstBadRow).toMatchObject({ kind: 'rewritten', seq: BigInt(i + 1) });
        // the whole tail re-hashed: the chain is self-consistent, and the head's signed checkpoint says otherwise
        if (tail) expectProblem(r, 'checkpoint-mismatch', h.rows.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('detects every single-row deletion (kept seqs, renumbered, renumbered and re-hashed)', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb.chain((h) => fc.tuple(fc.constant(h), pick(h), fc.constantFrom('gap', 'renumber', 'rehash'))), async ([h, i, how]) => {
        const n = h.rows.length;
        const without = h.rows.filter((_, j) => j !== i);
        const rows = how === 'gap' ? without : how === 'renumber' ? renumberFrom(without, i) : rehashFrom(renumberFrom(without, i), i);
        const r = await verify(rows, h.cps);
        expect(r.ok).toBe(false);
        if (i === n - 1) expectProblem(r, 'tail-missing', n); // the head is gone: its checkpoint remembers it
        else if (how === 'gap') expect(r.firstBadRow).toMatchObject({ kind: 'missing', seq: BigInt(i + 1) });
        else if (how === 'renumber') expect(r.firstBadRow).toMatchObject({ kind: 'reordered', seq: BigInt(i + 1) });
        else expectProblem(r, 'tail-missing', n);
      }),
      { numRuns: RUNS },
    );
  });

  it('detects every single-row insertion before the head (renumbered, or renumbered and re-hashed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((h) => fc.tuple(fc.constant(h), pick(h), entryArb, fc.boolean())),
        async ([h, i, e, rehash]) => {
          // a forged row at position i, correctly linked to the row before it and correctly hashed
          const forged = hashRow({ ...buildRows([e])[0]!, seq: BigInt(i + 1), prevHash: i === 0 ? h.rows[0]!.prevHash : h.rows[i - 1]!.hash });
          const spliced = [...h.rows.slice(0, i), forged, ...h.rows.slice(i)];
          const rows = rehash ? rehashFrom(renumberFrom(spliced, i + 1), i + 1) : renumberFrom(spliced, i + 1);
          const r = await verify(rows, h.cps);
          expect(r.ok).toBe(false);
          if (rehash) expectProblem(r, 'checkpoint-mismatch', h.rows.length);
          else expect(r.firstBadRow).toMatchObject({ kind: 'inserted', seq: BigInt(i + 1) });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('detects every reordering of two rows (seqs swapped; or the whole chain re-linked)', async () => {
    const arb = historyArb
      .filter((h) => h.rows.length >= 2)
      .chain((h) => fc.tuple(fc.constant(h), fc.uniqueArray(pick(h), { minLength: 2, maxLength: 2 }), fc.boolean()));
    await fc.assert(
      fc.asyncProperty(arb, async ([h, [x, y], relink]) => {
        const [a, b] = x! < y! ? [x!, y!] : [y!, x!];
        const swapped = h.rows.map((r, j) => (j === a ? h.rows[b]! : j === b ? h.rows[a]! : r));
        const rows = relink ? rehashFrom(renumberFrom(swapped, 0), 0) : renumberFrom(swapped, 0);
        const r = await verify(rows, h.cps);
        expect(r.ok).toBe(false);
        if (relink) expectProblem(r, 'checkpoint-mismatch', h.rows.length);
        else expect(r.firstBadRow).toMatchObject({ kind: 'reordered', seq: BigInt(a + 1) });
      }),
      { numRuns: RUNS },
    );
  });

  it('detects every checkpoint deletion (from the database or from the file) and every forged checkpoint', async () => {
    const arb = historyArb.chain((h) => fc.tuple(fc.constant(h), fc.integer({ min: 0, max: h.cps.length - 1 }), fc.constantFrom('table', 'file', 'forge', 'alter')));
    await fc.assert(
      fc.asyncProperty(arb, async ([h, k, how]) => {
        const c = h.cps[k]!;
        const others = h.cps.filter((_, j) => j !== k);
        let r: VerifyReport;
        if (how === 'table') {
          r = await verify(h.rows, others, fileOf(h.cps));
          expectProblem(r, 'checkpoint-deleted', c.seq);
        } else if (how === 'file') {
          r = await verify(h.rows, h.cps, fileOf(others));
          expectProblem(r, 'checkpoint-unfiled', c.seq);
        } else if (how === 'forge') {
          // the attacker signs with a key of their own
          const forged = signCheckpoint(generateSigningKey(), h.rows[Number(c.seq) - 1]!, c.createdAt);
          r = await verify(h.rows, h.cps.map((x, j) => (j === k ? forged : x)), fileOf(h.cps));
          expectProblem(r, 'checkpoint-forged', c.seq);
        } else {
          // a checkpoint moved to another row's hash keeps a signature that no longer verifies
          const altered = { ...c, hash: 'f'.repeat(64) };
          r = await verify(h.rows, h.cps.map((x, j) => (j === k ? altered : x)), fileOf(h.cps.map((x, j) => (j === k ? altered : x))));
          expectProblem(r, 'checkpoint-forged', c.seq);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the remaining window: rows appended after the last checkpoint can be deleted unnoticed', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, fc.array(entryArb, { minLength: 1, maxLength: 5 }), async (h, more) => {
        const all = rehashFrom([...h.rows, ...buildRows(more).map((r, j) => ({ ...r, seq: BigInt(h.rows.length + j + 1) }))], h.rows.length);
        expect((await verify(all, h.cps)).ok).toBe(true);
        // dropping any suffix of the uncovered rows leaves a valid chain: this is the documented window
        expect((await verify(all.slice(0, h.rows.length), h.cps)).ok).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
