import type { MaskedEdit } from '../masking/types';
import type { ActorId } from './summary';
import { THRESHOLDS } from './weights';

/**
 * The score's memory: a bounded, in-memory view of recent activity per actor and per range. Two LRU maps
 * (JavaScript Maps keep insertion order: a touched entry is re-inserted at the end, the oldest is evicted
 * from the front), each entry holding small fixed-size rings of timestamps. Every operation is O(1): the
 * rings never exceed their caps and the maps never exceed their capacities, whatever the total history.
 * Entries older than the window simply stop counting; the LRU pushes them out eventually.
 *
 * Keys are actor ids (`ip:<hmac>`, `u:<name>`) and range pseudonym keys (the /24 of IPv4, the /64 of IPv6).
 * Nothing here holds an IP.
 */
export interface HistoryOptions {
  /** most actors remembered (default 100 000) */
  maxActors?: number;
  /** most ranges remembered (default 50 000) */
  maxRanges?: number;
}

const EDIT_RING = THRESHOLDS.burstCap + 1;
const REVERT_RING = THRESHOLDS.revertCap + 1;
const WARNING_RING = THRESHOLDS.warningCap + 1;
const RANGE_RING = 8;

interface ActorState {
  edits: number[];
  reverts: number[];
  warnings: number[];
  finalWarningAt: number;
  /** the actor's range keys and labels as last seen on its own edit (for crediting reverts to ranges) */
  ranges: { key: string; display: string }[];
}

interface RangeState {
  display: string;
  reverts: { at: number; actor: ActorId }[];
}

/** What the history says about an actor just before its new edit. */
export interface ActorHistory {
  revertCount: number;
  /** all counted reverts are within THRESHOLDS.recentMs */
  revertsWithinHour: boolean;
  warningCount: number;
  finalWarning: boolean;
  /** the actor's own earlier edits within the burst window, and the span from the oldest to now */
  burstCount: number;
  burstSpanMs: number;
  /** reverts of other actors within the window, in the busiest of the edit's ranges */
  rangeReverts: number;
  rangeLabel: string;
}

function push<T>(ring: T[], v: T, cap: number): void {
  ring.push(v);
  if (ring.length > cap) ring.shift();
}

function touch<V>(map: Map<string, V>, key: string, make: () => V, max: number): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    if (map.size >= max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
  } else map.delete(key);
  map.set(key, v);
  return v;
}

/** The /24 (IPv4) and /64 (IPv6) ranges of an edit's network address: the ranges history is kept for. */
export function historyRanges(edit: Pick<MaskedEdit, 'ip'>): { key: string; display: string }[] {
  if (!edit.ip) return [];
  const want = edit.ip.family === 4 ? 24 : 64;
  const out: { key: string; display: string }[] = [];
  for (const r of edit.ip.ranges) if (r.prefix === want) out.push({ key: r.key, display: r.display });
  return out;
}

export class History {
  private readonly actors = new Map<ActorId, ActorState>();
  private readonly ranges = new Map<string, RangeState>();
  private readonly maxActors: number;
  private readonly maxRanges: number;

  constructor(opts: HistoryOptions = {}) {
    this.maxActors = opts.maxActors ?? 100_000;
    this.maxRanges = opts.maxRanges ?? 50_000;
  }

  get size(): { actors: number; ranges: number } {
    return { actors: this.actors.size, ranges: this.ranges.size };
  }

  /** Read-only: what is known about `actor` (and the given ranges) at time `now`. Never mutates. */
  lookup(actor: ActorId, rangeKeys: readonly { key: string; display: string }[], now: number): ActorHistory {
    const win = THRESHOLDS.historyWindowMs;
    const a = this.actors.get(actor);
    let revertCount = 0;
    let oldestRevert = now;
    let warningCount = 0;
    let burstCount = 0;
    let oldestBurst = now;
    if (a) {
      for (const t of a.reverts)
        if (now - t <= win) {
          revertCount++;
          if (t < oldestRevert) oldestRevert = t;
        }
      for (const t of a.warnings) if (now - t <= win) warningCount++;
      for (const t of a.edits)
        if (now - t <= THRESHOLDS.burstWindowMs) {
          burstCount++;
          if (t < oldestBurst) oldestBurst = t;
        }
    }
    let rangeReverts = 0;
    let rangeLabel = '';
    for (const r of rangeKeys) {
      const s = this.ranges.get(r.key);
      if (!s) continue;
      let n = 0;
      for (const x of s.reverts) if (x.actor !== actor && now - x.at <= win) n++;
      if (n > rangeReverts) {
        rangeReverts = n;
        rangeLabel = s.display;
      }
    }
    return {
      revertCount,
      revertsWithinHour: revertCount > 0 && now - oldestRevert <= THRESHOLDS.recentMs,
      warningCount,
      finalWarning: !!a && a.finalWarningAt > 0 && now - a.finalWarningAt <= win,
      burstCount,
      burstSpanMs: now - oldestBurst,
      rangeReverts,
      rangeLabel,
    };
  }

  /** Learn from an edit by `actor` at `at` (its own activity and its ranges). */
  recordEdit(actor: ActorId, ranges: { key: string; display: string }[], at: number): void {
    const a = this.actorState(actor);
    push(a.edits, at, EDIT_RING);
    if (ranges.length) a.ranges = ranges;
  }

  /** A revert naming `target`: credited to it and to the ranges it was last seen in. */
  recordRevert(target: ActorId, at: number): void {
    const a = this.actorState(target);
    push(a.reverts, at, REVERT_RING);
    for (const r of a.ranges) {
      const s = touch(this.ranges, r.key, () => ({ display: r.display, reverts: [] }), this.maxRanges);
      push(s.reverts, { at, actor: target }, RANGE_RING);
    }
  }

  /** A warning left on `target`'s talk page. */
  recordWarning(target: ActorId, at: number, final: boolean): void {
    const a = this.actorState(target);
    push(a.warnings, at, WARNING_RING);
    if (final) a.finalWarningAt = at;
  }

  private actorState(id: ActorId): ActorState {
    return touch(this.actors, id, () => ({ edits: [], reverts: [], warnings: [], finalWarningAt: 0, ranges: [] }), this.maxActors);
  }
}
