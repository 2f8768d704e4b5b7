import { afterAll, describe, expect, it } from 'vitest';
import { createClusterEngine } from '@/lib/clustering/engine';
import type { ClusterSnapshot } from '@/lib/clustering/types';
import { activeScenarios } from '@/lib/feed/demo/generator';
import { keysDir, masker, maskedDemo } from '../../helpers/clustering';

// 07:00–11:28 UTC on a Tuesday: waves at 08:00 and 10:00, sock bursts at 09:45 and 11:15, the school all along
const keys = keysDir();
afterAll(keys.cleanup);
const events = maskedDemo(masker(keys.dir), 8000);
const engine = createClusterEngine();
const snaps = new Map<string, ClusterSnapshot>();
const scenarioOf = new Map<string, string>();
let mark = engine.mark();
for (const e of events) {
  const r = engine.observe({ id: e.id, edit: e.edit, score: e.score });
  if (r.memberKey) scenarioOf.set(r.memberKey, e.scenario);
  for (const s of engine.changedSince(mark)) snaps.set(s.id, s);
  mark = engine.mark();
}
const live = () => [...snaps.values()].filter((s) => s.status !== 'merged');
/** per member: the (unmerged) cluster that holds it */
const clusterOf = new Map<string, string>();
for (const s of live()) for (const m of s.members) clusterOf.set(m.key, s.id);
/** members of a scenario whose edits fall in [from, to) */
function membersIn(scenario: string, from: number, to: number): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    const t = Date.parse(e.edit.timestamp);
    if (e.scenario === scenario && t >= from && t < to) out.add(e.edit.actor.kind === 'ip' ? `ip:${e.edit.actor.key}` : `temp:${e.edit.actor.name}`);
  }
  return out;
}
const H = 3_600_000;
const DAY0 = Date.parse('2026-03-03T00:00:00Z');

describe('demo scenarios through the real masking boundary', () => {
  it('each vandal wave comes out as one cluster with a /24 reason and nothing else in it', () => {
    for (const start of [DAY0 + 8 * H, DAY0 + 10 * H]) {
      expect(activeScenarios(start + 60_000).wave).toBe(true);
      const wave = membersIn('vandal-wave', start, start + H / 3);
      expect(wave.size).toBeGreaterThan(30);
      const ids = new Set([...wave].map((k) => clusterOf.get(k)));
      expect(ids.size, 'one cluster per wave').toBe(1);
      const snap = snaps.get([...ids][0] as string) as ClusterSnapshot;
      expect(snap.members.every((m) => scenarioOf.get(m.key) === 'vandal-wave')).toBe(true);
      expect(snap.memberCount).toBe(wave.size);
      expect(snap.reasons[0]).toMatch(new RegExp(`^${wave.size} temporary accounts in one /24 range \\(R24-[0-9A-Z]{4}-[0-9A-Z]{4}\\)$`));
      expect(snap.reasons.join('\n')).toMatch(/edits to \d+ pages in (19|20) min/);
      expect(snap.reasons.join('\n')).toMatch(/\d+ of \d+ scored edits likely damaging/);
    }
  });

  it('finds each sock burst through co-edited pages although every sock is in a different range', () => {
    const bursts = [DAY0 + 9 * H + 45 * 60_000, DAY0 + 11 * H + 15 * 60_000];
    for (const start of bursts) {
      const socks = membersIn('sock-cluster', start, start + 12 * 60_000);
      expect(socks.size).toBeGreaterThanOrEqual(3);
      const ids = new Set([...socks].map((k) => clusterOf.get(k)));
      expect(ids.size).toBe(1);
      const snap = snaps.get([...ids][0] as string) as ClusterSnapshot;
      expect(snap.members.map((m) => m.key).sort()).toEqual([...socks].sort());
      expect(snap.reasons).toContain(`${socks.size} temporary accounts across ${socks.size} different ranges`);
      expect(snap.reasons).toContain(`${socks.size} temporary accounts co-edited the same 3 pages`);
      expect(snap.links.page).toBeGreaterThan(0);
      expect(snap.links.range).toBe(0);
    }
  });

  it('never mixes scenarios in one cluster, and finds the school range and the IPv6 hopper', () => {
    for (const s of live()) {
      const kinds = new Set(s.members.map((m) => scenarioOf.get(m.key)));
      expect(kinds.size, `${s.id}: ${[...kinds].join(', ')}`).toBe(1);
    }
    const school = live().filter((s) => scenarioOf.get(s.members[0]?.key ?? '') === 'school');
    expect(school.some((s) => s.memberCount >= 20 && /IP editors in one \/24 range/.test(s.reasons[0] ?? ''))).toBe(true);
    const hopper = live().filter((s) => scenarioOf.get(s.members[0]?.key ?? '') === 'ipv6-hopper');
    expect(hopper.some((s) => /in one IPv6 \/64 range \(R6-64-/.test(s.reasons[0] ?? ''))).toBe(true);
    // good-faith background accounts: at most a stray pair, never a big cluster
    const background = live().filter((s) => scenarioOf.get(s.members[0]?.key ?? '') === 'temp-account');
    expect(background.every((s) => s.memberCount <= 3)).toBe(true);
  });

  it('shows pseudonyms only', () => {
    const text = JSON.stringify([...snaps.values()]);
    expect(text).not.toMatch(/\b(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+/);
    expect(text).not.toMatch(/2001:db8/i);
  });
});
