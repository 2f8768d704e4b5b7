import type { MaskedEdit } from '../masking/types';
import { bandKeys, informativeness, normaliseSummary, signature } from './minhash';
import type { MemberRange } from './state';

/** What the engine reads from one masked edit: identities and the index keys it touches. */
export interface EditFeatures {
  /** null: not clustered (registered user, bot, log entry) but still counted for page/summary popularity */
  memberKey: string | null;
  kind: 'ip' | 'temp' | null;
  display: string;
  /** identity for popularity counts (registered users included) */
  editorKey: string;
  wiki: string;
  title: string;
  pageKey: string;
  ranges: MemberRange[];
  ua: { key: string; display: string } | null;
  sig: Uint32Array | null;
  /** 0–1: how identifying the summary is (its length) */
  sigWeight: number;
  bands: string[];
}

/**
 * Range keys the engine links on: the IPv4 address (temporary accounts behind one address), /24, /16; the
 * IPv6 /64 (one subscriber's network), /48. IPv6 /32 and extra lengths are too wide to mean anything.
 */
function ranges(edit: MaskedEdit): MemberRange[] {
  const ip = edit.ip;
  if (!ip) return [];
  const out: MemberRange[] = [];
  if (ip.family === 4) out.push({ key: `a:${ip.key}`, display: ip.display, prefix: 32, kind: 'address' });
  for (const r of ip.ranges) {
    const kind =
      ip.family === 4 ? (r.prefix === 24 ? 'v4net24' : r.prefix === 16 ? 'v4net16' : null) : r.prefix === 64 ? 'v6net64' : r.prefix === 48 ? 'v6net48' : null;
    if (kind) out.push({ key: `r:${r.key}`, display: r.display, prefix: r.prefix, kind });
  }
  return out;
}

/** A normalised summary's MinHash signature and band keys (shared, read-only). */
interface SummaryHash {
  sig: Uint32Array;
  bands: string[];
}

/**
 * The signatures of recently seen summaries, most recent last: on a real day 60 % of summaries repeat one of
 * the last few thousand (short fixes, section edits, tool summaries), and a hit saves the 16 × 3-gram
 * hashing, the eight band-key strings and their allocation. Bounded; an evicted summary is simply hashed again.
 */
const summaryHashes = new Map<string, SummaryHash>();
const SUMMARY_CACHE = 4096;

export function summaryHash(summary: string): SummaryHash {
  let h = summaryHashes.get(summary);
  if (h) summaryHashes.delete(summary);
  else {
    const sig = signature(summary);
    h = { sig, bands: bandKeys(sig) };
    if (summaryHashes.size >= SUMMARY_CACHE) summaryHashes.delete(summaryHashes.keys().next().value as string);
  }
  summaryHashes.set(summary, h);
  return h;
}

export function editFeatures(edit: MaskedEdit): EditFeatures {
  const a = edit.actor;
  const clusterable = (a.kind === 'ip' || a.kind === 'temp') && !edit.isBot && (edit.type === 'edit' || edit.type === 'new');
  const memberKey = !clusterable ? null : a.kind === 'ip' ? `ip:${a.key ?? a.name}` : `temp:${a.name}`;
  const summary = normaliseSummary(edit.comment);
  const hashed = summary === null ? null : summaryHash(summary);
  return {
    memberKey,
    kind: clusterable ? (a.kind as 'ip' | 'temp') : null,
    display: a.name,
    editorKey: memberKey ?? `u:${a.kind === 'ip' ? (a.key ?? a.name) : a.name}`,
    wiki: edit.wiki,
    title: edit.title,
    pageKey: `p:${edit.wiki}\u0000${edit.title}`,
    ranges: clusterable ? ranges(edit) : [],
    ua: clusterable ? edit.userAgent : null,
    sig: hashed?.sig ?? null,
    sigWeight: summary === null ? 0 : informativeness(summary),
    bands: hashed?.bands ?? [],
  };
}
