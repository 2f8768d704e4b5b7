import { formatDuration } from './aggregates';
import type { Cluster } from './clusters';
import type { ClusterConfig } from './config';
import { similarity } from './minhash';
import type { Member, MemberRange, RangeKind } from './state';

const NARROW: RangeKind[] = ['address', 'v6net64', 'v4net24'];
const WIDE: RangeKind[] = ['v6net48', 'v4net16'];
const SIG_SAMPLE = 12;

function noun(ms: Member[], n: number): string {
  const kinds = new Set(ms.map((m) => m.kind));
  if (kinds.size === 1 && kinds.has('temp')) return n === 1 ? 'temporary account' : 'temporary accounts';
  if (kinds.size === 1 && kinds.has('ip')) return n === 1 ? 'IP editor' : 'IP editors';
  return n === 1 ? 'actor' : 'actors';
}

function rangeLabel(r: MemberRange): string {
  if (r.kind === 'address') return `one address (${r.display})`;
  return `one ${r.kind.startsWith('v6') ? 'IPv6 ' : ''}/${r.prefix} range (${r.display})`;
}

/** The largest group of members sharing one range of the given kinds (≥ 2 members), if any. */
function largestRangeGroup(members: Member[], kinds: RangeKind[]): { range: MemberRange; members: Member[] } | null {
  const groups = new Map<string, { range: MemberRange; members: Member[] }>();
  for (const m of members) {
    for (const r of m.ranges) {
      if (!kinds.includes(r.kind)) continue;
      const g = groups.get(r.key) ?? { range: r, members: [] };
      g.members.push(m);
      groups.set(r.key, g);
    }
  }
  let best: { range: MemberRange; members: Member[] } | null = null;
  for (const g of groups.values()) {
    if (g.members.length < 2) continue;
    const better =
      !best || g.members.length > best.members.length || (g.members.length === best.members.length && g.range.prefix > best.range.prefix);
    if (better) best = g;
  }
  return best;
}

/** Distinct narrow ranges (/24, /64) the members' latest edits came from. */
function narrowRangeCount(members: Member[]): number {
  const keys = new Set<string>();
  for (const m of members) for (const r of m.ranges) if (r.kind === 'v4net24' || r.kind === 'v6net64') keys.add(r.key);
  return keys.size;
}

/** Mean pairwise similarity of the latest summaries of up to 12 members (null with fewer than 2). */
export function summaryLikeness(members: Member[]): number | null {
  const sigs = members.filter((m) => m.sig).slice(0, SIG_SAMPLE).map((m) => m.sig as Uint32Array);
  if (sigs.length < 2) return null;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < sigs.length; i++) {
    for (let j = i + 1; j < sigs.length; j++) {
      sum += similarity(sigs[i] as Uint32Array, sigs[j] as Uint32Array);
      n++;
    }
  }
  return sum / n;
}

/**
 * Short human sentences built from the cluster's evidence counts, strongest first, e.g. "4 temporary
 * accounts in one /24 range (R24-7K3Q-9XD2)", "11 edits to 3 pages in 20 min", "summaries 80 % alike".
 * Only pseudonyms appear, never an address.
 */
export function reasons(cl: Cluster, c: ClusterConfig): string[] {
  const ms = [...cl.members];
  const out: string[] = [];
  const group = largestRangeGroup(ms, NARROW) ?? largestRangeGroup(ms, WIDE);
  if (group) out.push(`${group.members.length} ${noun(group.members, group.members.length)} in ${rangeLabel(group.range)}`);
  const ranges = narrowRangeCount(ms);
  if (ranges >= 2 && (!group || group.members.length < ms.length)) out.push(`${ms.length} ${noun(ms, ms.length)} across ${ranges} different ranges`);

  const shared = [...cl.pages.values()].filter((p) => p.members.size >= 2);
  if (shared.length) {
    const who = new Set<number>();
    for (const p of shared) for (const id of p.members) who.add(id);
    out.push(`${who.size} ${noun(ms, who.size)} co-edited ${shared.length === 1 ? 'the same page' : `the same ${shared.length} pages`}`);
  }
  const span = cl.lastSeen - cl.firstSeen;
  const pages = cl.pages.size;
  out.push(`${cl.editCount} edit${cl.editCount === 1 ? '' : 's'} to ${pages}${pages >= 100 ? '+' : ''} page${pages === 1 ? '' : 's'} in ${span < 60_000 ? 'under a minute' : formatDuration(span)}`);

  const alike = summaryLikeness(ms);
  if (alike !== null && alike >= 0.3) out.push(`summaries ${Math.round(alike * 100)} % alike`);

  const ua = new Map<string, { display: string; n: number }>();
  for (const m of ms) if (m.ua) ua.set(m.ua.key, { display: m.ua.display, n: (ua.get(m.ua.key)?.n ?? 0) + 1 });
  const topUa = [...ua.values()].sort((a, b) => b.n - a.n)[0];
  if (topUa && topUa.n >= 2) out.push(`${topUa.n} ${noun(ms, topUa.n)} share one user agent (${topUa.display})`);

  if (cl.suspiciousEdits > 0) out.push(`${cl.suspiciousEdits} of ${cl.scoredEdits} scored edits likely damaging`);
  const peak = Math.max(0, ...cl.bins.values());
  if (peak >= 5 && cl.bins.size > 1) out.push(`peak ${peak} edits in ${formatDuration(c.seriesBinMs)}`);
  if (cl.wikis.size > 1) out.push(`on ${cl.wikis.size} wikis (${[...cl.wikis].sort().join(', ')})`);
  return out;
}
