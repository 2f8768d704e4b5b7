import type { MaskedEdit } from '../masking/types';
import { addHistoryFeatures, editFeatures, emptyDetail, type Features } from './features';
import { History, historyRanges, type HistoryOptions } from './history';
import { actorIdOf, revertInfo, warningInfo, type ActorId } from './summary';
import { BIAS, FEATURE_IDS, LABELS, THRESHOLDS, WEIGHTS, type FeatureId } from './weights';

/**
 * The revert-risk scorer: pure computation over a bounded in-memory history, one MaskedEdit at a time in
 * arrival order (call it right after the masking boundary). For each edit it FIRST scores the edit from
 * what was known before it arrived, THEN learns from it (its own activity, a revert it makes, a warning it
 * leaves), so a score never depends on later events.
 *
 *   const scorer = createScorer({ isBlocked });
 *   const { score, factors } = scorer.score(masked);   // score ∈ (0, 1), factors: top ≤ 5 positive
 */
export interface Factor {
  id: FeatureId;
  label: string;
  /** wᵢ·xᵢ on the logit scale */
  contribution: number;
}

export interface ScoreResult {
  score: number;
  factors: Factor[];
}

/**
 * Block status (step 7 provides it): actorKey is `ip:<hmac>` for IP editors and `u:<name>` for temporary and
 * registered ones; rangeKeys are the range pseudonym keys of every stored length. Default: nobody blocked.
 */
export type IsBlocked = (
  actorKey: ActorId,
  rangeKeys: readonly string[],
  wiki: string,
) => { actor: boolean; range: boolean } | boolean;

export interface ScorerOptions extends HistoryOptions {
  isBlocked?: IsBlocked;
  /** features to switch off (evaluation ablations), e.g. the history features */
  disable?: readonly FeatureId[];
}

export interface Scorer {
  score(edit: MaskedEdit): ScoreResult;
  /** the history's current size (bounded by maxActors / maxRanges) */
  readonly size: { actors: number; ranges: number };
}

const scoped = (wiki: string, key: string) => `${wiki}|${key}`;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const NOT_BLOCKED = { actor: false, range: false };

export function createScorer(opts: ScorerOptions = {}): Scorer {
  const history = new History(opts);
  const isBlocked = opts.isBlocked;
  const weights: Record<FeatureId, number> = { ...WEIGHTS };
  for (const id of opts.disable ?? []) weights[id] = 0;

  return {
    get size() {
      return history.size;
    },
    score(edit: MaskedEdit): ScoreResult {
      const at = Date.parse(edit.timestamp);
      const now = Number.isNaN(at) ? 0 : at;
      // history is per wiki (reverts, warnings and blocks are): keys are scoped by the wiki id
      const actorKey = actorIdOf(edit);
      const actor = scoped(edit.wiki, actorKey);
      const ranges = historyRanges(edit).map((r) => ({ key: scoped(edit.wiki, r.key), display: r.display }));
      const revert = revertInfo(edit);

      // 1. score from the past only
      const detail = emptyDetail();
      const x = editFeatures(edit, revert.isRevert, detail);
      const b = isBlocked ? isBlocked(actorKey, edit.ip?.ranges.map((r) => r.key) ?? [], edit.wiki) : NOT_BLOCKED;
      addHistoryFeatures(x, history.lookup(actor, ranges, now), typeof b === 'boolean' ? { actor: b, range: false } : b, detail);
      const result = combine(x, weights, (id) => LABELS[id](detail));

      // 2. then learn from this edit
      history.recordEdit(actor, ranges, now);
      if (revert.target && revert.target !== actorKey) history.recordRevert(scoped(edit.wiki, revert.target), now);
      const warning = warningInfo(edit);
      if (warning && warning.target !== actorKey) history.recordWarning(scoped(edit.wiki, warning.target), now, warning.final);
      return result;
    },
  };
}

/** sigmoid(bias + Σ wᵢxᵢ) and the top positive contributions, largest first. */
export function combine(x: Features, weights: Record<FeatureId, number>, label: (id: FeatureId) => string): ScoreResult {
  let z = BIAS;
  const top: { id: FeatureId; c: number }[] = [];
  for (const id of FEATURE_IDS) {
    const c = weights[id] * x[id];
    if (c === 0) continue;
    z += c;
    if (c > 0) top.push({ id, c });
  }
  top.sort((a, b) => b.c - a.c);
  const factors = top.slice(0, THRESHOLDS.topFactors).map((t) => ({ id: t.id, label: label(t.id), contribution: round(t.c) }));
  return { score: sigmoid(z), factors };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
