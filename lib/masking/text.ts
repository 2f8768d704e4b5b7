import { tryCanonicalIp, type CanonicalIp } from './ip';

/**
 * IP addresses hidden in free text ("User talk:161.184.95.17", "Reverted edits by 2001:db8::1 (talk)").
 * Only valid, complete addresses are replaced — timestamps (12:34:56), version numbers (1.2.3, 1.2.3.4.5),
 * C++ scopes (std::vector) stay — but the scan errs on the side of masking:
 * One pass, so replacement tokens are never rescanned:
 * - IPv6: maximal runs of [0-9A-Fa-f:.] holding at least two colons (plus an optional %zone),
 *   trimmed of a leading single ":" ("User:2001:db8::1"), trailing "." or single ":", and of extra hex
 *   letters glued to the first or last group ("by2001:db8::1"); IPv4-mapped forms become their IPv4.
 *   A short form (fewer than three groups, no dotted part) glued to a word is left alone: "std::vector",
 *   "Module::Build" hold the valid addresses "d::" and "e::b" but are scope operators.
 * - IPv4 (also inside an IPv6 run that holds no address): four dotted decimal octets not touching
 *   another digit or dotted digit.
 */
const V6 = '(?<![0-9A-Fa-f:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z._~-]+)?';
const V4 = '(?<!\\d\\.?)\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?!\\.?\\d)';
const V4_RUN = new RegExp(V4, 'g');
/** one pass over the text: an IPv6 run where there is one, else an IPv4 address */
const ANY_RUN = new RegExp(`(${V6})|${V4}`, 'g');

export type Replacer = (ip: CanonicalIp) => string;

/** Candidate trims of a run: [start, end) offsets inside it, most complete first. */
function v6Candidates(run: string): [number, number][] {
  let start = 0;
  let end = run.length;
  // "Talk:2001:db8::1" → drop the ":" that belongs to the text; "Talk:::1" → keep "::1"
  if (run.startsWith(':') && (!run.startsWith('::') || run.startsWith(':::'))) start = 1;
  const zone = run.indexOf('%');
  const core = zone >= 0 ? zone : end;
  if (zone < 0) {
    while (end > start && run[end - 1] === '.') end--;
    if (run[end - 1] === ':' && (run[end - 2] !== ':' || run[end - 3] === ':')) end--;
  }
  const out: [number, number][] = [[start, end]];
  // hex letters glued on either side make the first/last group longer than 4 digits
  const first = /^[0-9A-Fa-f]{5,}/.exec(run.slice(start));
  const lastEnd = zone >= 0 ? core : end;
  const last = /[0-9A-Fa-f]{5,}$/.exec(run.slice(start, lastEnd));
  const s2 = first ? start + first[0].length - 4 : start;
  const e2 = last && zone < 0 ? lastEnd - (last[0].length - 4) : end;
  if (s2 !== start || e2 !== end) out.push([s2, e2]);
  return out;
}

const WORD = /[0-9A-Za-z_]/;

/** Three or more hex groups, or an embedded IPv4: unlikely to be anything but an address. */
function strong(candidate: string): boolean {
  return candidate.includes('.') || candidate.split(':').filter((g) => g.length > 0).length >= 3;
}

/** Mask an IPv6 run; when it holds no address, IPv4 addresses inside it ("10:20:1.2.3.4") still count. */
function maskV6Run(text: string, run: string, offset: number, replace: Replacer): string {
  for (const [s, e] of v6Candidates(run)) {
    const candidate = run.slice(s, e);
    if (!candidate.includes('::') && candidate.split(':').length < 8 && !candidate.includes('.')) continue;
    // a short form glued to a word ("std::vector" → "d::") is a scope operator, not an address
    const glued = WORD.test(text[offset + s - 1] ?? '') || WORD.test(text[offset + e] ?? '');
    if (glued && !strong(candidate)) continue;
    const ip = tryCanonicalIp(candidate);
    if (ip) return maskV4(run.slice(0, s), replace) + replace(ip) + maskV4(run.slice(e), replace);
  }
  return maskV4(run, replace);
}

function maskV4(text: string, replace: Replacer): string {
  if (!text.includes('.')) return text;
  return text.replace(V4_RUN, (m) => {
    const ip = tryCanonicalIp(m);
    return ip ? replace(ip) : m;
  });
}

/**
 * A necessary condition for an address anywhere in the text, cheap to test: every address the scan
 * replaces is a dotted quad, or an IPv6 spelling, which holds "::", or eight groups (seven colons), or a
 * dotted quad at its end. Text without any of these ("v1.2.3 at 12:34:56") skips the scan. Linear time:
 * the colon count is anchored at the start.
 */
const MAYBE_IP = /::|\d\.\d+\.\d+\.\d|^(?:[^:]*:){7}/;

/** Replace every IP address in `text` by `replace(ip)`. */
export function maskText(text: string, replace: Replacer): string {
  if (!MAYBE_IP.test(text)) return text;
  return scanText(text, replace);
}

/** maskText without the pre-check (exported for the test that the pre-check never skips an address). */
export function scanText(text: string, replace: Replacer): string {
  return text.replace(ANY_RUN, (m: string, v6: string | undefined, offset: number) => {
    if (v6 !== undefined) return maskV6Run(text, m, offset, replace);
    const ip = tryCanonicalIp(m);
    return ip ? replace(ip) : m;
  });
}

/** Every IP address found in `text` (canonical), in order. */
export function findIps(text: string): CanonicalIp[] {
  const out: CanonicalIp[] = [];
  maskText(text, (ip) => {
    out.push(ip);
    return ' ';
  });
  return out;
}

/** Mask every string (and object key) inside a JSON-like value; other values are kept. */
export function maskJson(value: unknown, replace: Replacer, depth = 0): unknown {
  if (depth > 32) throw new Error('logParams: nested too deeply');
  if (typeof value === 'string') return maskText(value, replace);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, replace, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskText(k, replace)] = maskJson(v, replace, depth + 1);
    return out;
  }
  return value;
}
