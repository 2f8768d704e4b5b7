/**
 * Data side of `npm run eval:scoring`: replays the real-data fixtures through the project's own parsers
 * (lib/feed/replay.ts) and the real masking boundary (Masker + KeyRing on a throwaway key store), so the
 * scorer sees exactly what production would. Returns masked edits only: nothing here keeps a raw IP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayFile } from '../lib/feed/replay';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import type { MaskedEdit } from '../lib/masking/types';
import { createScorer, type ScorerOptions } from '../lib/scoring/score';
import { actorIdOf, revertInfo } from '../lib/scoring/summary';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/realdata');
export const LVWIKI = path.join(FIXTURES, 'lvwiki-action-api-recentchanges-2020-04-ores.json');
export const DAY2015 = path.join(FIXTURES, 'druid-wikiticker-2015-09-12-irc-recentchanges.jsonl.gz');

export interface Masked {
  edits: MaskedEdit[];
  dead: number;
  maskFailures: number;
}

/** Replay a fixture in file order with original timestamps and mask every edit. */
export async function maskFile(file: string, wiki?: string): Promise<Masked> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-eval-keys-'));
  try {
    const masker = new Masker({ keys: new KeyRing(path.join(dir, 'keys')), limits: { v4: 16, v6: 19 } });
    const out: Masked = { edits: [], dead: 0, maskFailures: 0 };
    for await (const item of replayFile(file, { time: 'original', wiki })) {
      if (item.kind === 'dead-letter') out.dead++;
      if (item.kind !== 'edit') continue;
      try {
        out.edits.push(masker.maskEdit(item.edit).masked);
      } catch {
        out.maskFailures++;
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Score every edit in arrival order with one fresh scorer: the score each edit got when it arrived. */
export function scoreAll(edits: readonly MaskedEdit[], opts: ScorerOptions = {}): number[] {
  const scorer = createScorer(opts);
  return edits.map((e) => scorer.score(e).score);
}

export interface ActorRow {
  /** max score over the actor's edits (each as scored on arrival) */
  max: number;
  /** score of the actor's first edit in the file */
  first: number;
  edits: number;
  /** max score over the edits made BEFORE the actor was first named in a revert (−1: none); for actors never
   *  named, the same as max. Strictly predictive: the label was not yet visible when these were scored. */
  maxBeforeRevert: number;
  /** named as the reverted editor in a revert summary on the same wiki that day (any time: a label) */
  label: boolean;
}

/**
 * Actor-level table for one wiki's anonymous (IP) actors. The label may look at the whole day; the scores
 * come from `scores`, computed in arrival order without look-ahead.
 */
export function anonActors(edits: readonly MaskedEdit[], scores: readonly number[], wiki: string): Map<string, ActorRow> {
  /** actor → index of the first edit naming it as reverted */
  const named = new Map<string, number>();
  edits.forEach((e, i) => {
    if (e.wiki !== wiki) return;
    const t = revertInfo(e).target;
    if (t && t !== actorIdOf(e) && !named.has(t)) named.set(t, i);
  });
  const actors = new Map<string, ActorRow>();
  edits.forEach((e, i) => {
    if (e.wiki !== wiki || e.actor.kind !== 'ip') return;
    const id = actorIdOf(e);
    const s = scores[i]!;
    const before = i < (named.get(id) ?? Infinity) ? s : -1;
    const row = actors.get(id);
    if (row) {
      row.max = Math.max(row.max, s);
      row.maxBeforeRevert = Math.max(row.maxBeforeRevert, before);
      row.edits++;
    } else actors.set(id, { max: s, first: s, edits: 1, maxBeforeRevert: before, label: named.has(id) });
  });
  return actors;
}

/** How many revert summaries the parser recognised on a wiki, and how many name an IP / a named user. */
export function revertCounts(edits: readonly MaskedEdit[], wiki: string): { reverts: number; namedIp: number; namedUser: number } {
  const r = { reverts: 0, namedIp: 0, namedUser: 0 };
  for (const e of edits) {
    if (e.wiki !== wiki) continue;
    const info = revertInfo(e);
    if (!info.isRevert) continue;
    r.reverts++;
    if (info.target?.startsWith('ip:')) r.namedIp++;
    else if (info.target) r.namedUser++;
  }
  return r;
}
