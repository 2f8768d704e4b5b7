import type { VerifyReport } from './verify';

/** What a verification records (the audit row's `after`) and the steward's view shows. JSON-safe. */
export interface VerificationSummary {
  ok: boolean;
  rows: number;
  headSeq: string | null;
  checkpoints: number;
  lastCheckpointSeq: string | null;
  /** the first problems (at most 20), each named by its row or checkpoint seq */
  problems: { kind: string; seq: string | null; message: string }[];
  problemCount: number;
}

export function summarize(r: VerifyReport): VerificationSummary {
  return {
    ok: r.ok,
    rows: r.rows,
    headSeq: r.head?.seq.toString() ?? null,
    checkpoints: r.checkpoints.signedValid,
    lastCheckpointSeq: r.checkpoints.last?.toString() ?? null,
    problems: r.problems.slice(0, 20).map((p) => ({ kind: p.kind, seq: p.seq?.toString() ?? null, message: p.message })),
    problemCount: r.problems.length,
  };
}
