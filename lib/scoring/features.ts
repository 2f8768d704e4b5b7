import type { MaskedEdit } from '../masking/types';
import type { ActorHistory } from './history';
import { hasProfanity, hasRepeatedChars, isAutoBlanked, isAutoReplaced, isSectionOnly, isShouting } from './summary';
import { THRESHOLDS, type FactorDetail, type FeatureId } from './weights';

/**
 * Per-edit features xᵢ ∈ [0, 1] (see the table in weights.ts) from what a recent-changes feed carries,
 * after masking, plus the actor's history as it stood BEFORE this edit. Unknown values (null sizes, a
 * summary the feed omitted) contribute 0, never a guess.
 */
export type Features = Record<FeatureId, number>;

export interface Blocked {
  actor: boolean;
  range: boolean;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export function emptyDetail(): FactorDetail {
  return {
    blankShare: 0,
    removedBytes: 0,
    newPageBytes: 0,
    revertCount: 0,
    revertsWithinHour: false,
    warningCount: 0,
    finalWarning: false,
    burstCount: 0,
    burstSpanMs: 0,
    rangeReverts: 0,
    rangeLabel: '',
  };
}

/** Edit-only features: everything that needs no history. `isRevert` comes from summary.revertInfo. */
export function editFeatures(edit: MaskedEdit, isRevert: boolean, detail: FactorDetail): Features {
  const kind = edit.actor.kind;
  const isNew = edit.type === 'new' || edit.isNew;
  const delta = edit.sizeDelta;
  let blanking = 0;
  let removal = 0;
  if (delta !== null && delta < 0) {
    const removed = -delta;
    detail.removedBytes = removed;
    removal = clamp01((Math.log10(removed) - 2) / 2);
    const old = edit.sizeOld;
    if (old !== null && old > 0) {
      const share = clamp01(removed / old);
      detail.blankShare = share;
      if (share >= THRESHOLDS.blankingShare) blanking = share;
    }
  }
  let tinyNewPage = 0;
  if (isNew) {
    const size = edit.sizeNew ?? (delta !== null && delta >= 0 ? delta : null);
    if (size !== null && size < THRESHOLDS.tinyNewPageBytes) {
      tinyNewPage = 1;
      detail.newPageBytes = size;
    }
  }
  const c = edit.comment;
  const text = c ?? '';
  // sizes unknown (the 2015 feed has only a delta): MediaWiki's own "Blanked the page" summary says it
  if (blanking === 0 && text && isAutoBlanked(text)) {
    blanking = 1;
    detail.blankShare = 1;
  }
  return {
    ipActor: kind === 'ip' ? 1 : 0,
    tempActor: kind === 'temp' ? 1 : 0,
    bot: edit.isBot ? 1 : 0,
    minor: edit.isMinor ? 1 : 0,
    article: edit.namespace === 0 ? 1 : 0,
    ownSpace: edit.namespace === 2 || edit.namespace === 3 ? 1 : 0,
    blanking,
    removal,
    newPageAnon: isNew && kind !== 'user' ? 1 : 0,
    tinyNewPage,
    noSummary: c === null ? 0 : c.trim() === '' ? 1 : isSectionOnly(c) ? 0.6 : 0,
    profanity: text && hasProfanity(text) ? 1 : 0,
    shouting: text && isShouting(text) ? 1 : 0,
    repeatedChars: text && hasRepeatedChars(text) ? 1 : 0,
    replaced: text && isAutoReplaced(text) ? 1 : 0,
    reverts: isRevert ? 1 : 0,
    revertedBefore: 0,
    warned: 0,
    burst: 0,
    rangeReverts: 0,
    blocked: 0,
    rangeBlocked: 0,
  };
}

/** Add the history features (as of just before this edit) and the block status. */
export function addHistoryFeatures(x: Features, h: ActorHistory, blocked: Blocked, detail: FactorDetail): void {
  x.revertedBefore = Math.min(h.revertCount, THRESHOLDS.revertCap) / THRESHOLDS.revertCap;
  x.warned = h.finalWarning ? 1 : Math.min(h.warningCount, THRESHOLDS.warningCap) / THRESHOLDS.warningCap;
  x.burst = Math.min(h.burstCount, THRESHOLDS.burstCap) / THRESHOLDS.burstCap;
  x.rangeReverts = Math.min(h.rangeReverts, THRESHOLDS.rangeRevertCap) / THRESHOLDS.rangeRevertCap;
  x.blocked = blocked.actor ? 1 : 0;
  x.rangeBlocked = blocked.range ? 1 : 0;
  detail.revertCount = h.revertCount;
  detail.revertsWithinHour = h.revertsWithinHour;
  detail.warningCount = h.warningCount;
  detail.finalWarning = h.finalWarning;
  detail.burstCount = h.burstCount;
  detail.burstSpanMs = h.burstSpanMs;
  detail.rangeReverts = h.rangeReverts;
  detail.rangeLabel = h.rangeLabel;
}
