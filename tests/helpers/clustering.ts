import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DemoGenerator, type Scenario } from '@/lib/feed/demo/generator';
import type { RawEdit } from '@/lib/feed/types';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import type { MaskedEdit } from '@/lib/masking/types';

/** Shared pieces of the clustering tests: demo traffic through the real masking boundary. */
export interface MaskedDemo {
  id: string;
  edit: MaskedEdit;
  scenario: Scenario;
  score: number;
}

/** Tuesday 2026-03-03 07:00 UTC: a school morning, with waves at 08:00, 10:00 and sock bursts in between. */
export const DEMO_START = Date.parse('2026-03-03T07:00:00Z');

/**
 * A stand-in for lib/scoring's revert-risk score: the share of the page an edit removed. Enough to tell
 * blanking from ordinary edits, which is all the tests need from a score.
 */
export function blankingScore(e: { sizeDelta: number | null; sizeOld: number | null }): number {
  if (e.sizeDelta === null || e.sizeDelta >= 0 || !e.sizeOld) return 0;
  return Math.min(1, -e.sizeDelta / e.sizeOld);
}

export function keysDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-cluster-keys-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function masker(dir: string): Masker {
  return new Masker({ keys: new KeyRing(path.join(dir, 'keys')), limits: { v4: 16, v6: 19 } });
}

export function maskAll(m: Masker, raws: RawEdit[]): MaskedEdit[] {
  return raws.map((r) => m.maskEdit(r).masked);
}

/** n demo events from `start`, masked, each with the stand-in score. */
export function maskedDemo(m: Masker, n: number, seed = 7, start = DEMO_START): MaskedDemo[] {
  return new DemoGenerator({ seed, start })
    .take(n)
    .map((d, i) => ({ id: String(i + 1), edit: m.maskEdit(d.edit).masked, scenario: d.scenario, score: blankingScore(d.edit) }));
}
