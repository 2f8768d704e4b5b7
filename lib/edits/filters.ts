/**
 * The queue's filters: one definition for the URL (searchParams), the server query (lib/edits/queue.ts) and the
 * browser, which applies the same predicate to edits arriving over the live stream. Pure: no server imports,
 * so client components import it too.
 */
export interface QueueFilters {
  wiki?: string;
  namespace?: number;
  /** score ≥ minScore (0..1) */
  minScore?: number;
  /** only IP editors and temporary accounts */
  anonOnly: boolean;
  unreviewedOnly: boolean;
  clusteredOnly: boolean;
  /** only edits flagged as block evasion (step 7) */
  evasionOnly?: boolean;
  /** only edits from hosting / data-centre networks (IP context, step 9) */
  hostingOnly?: boolean;
  /** only edits from blocks registered to this ISO 3166-1 alpha-2 country (IP context, step 9) */
  country?: string;
  /** include edits by whitelisted (trusted) editors, left out by default */
  showTrusted: boolean;
  /** show the edits this user hid (and only those) */
  showHidden: boolean;
  /** text in the page title or the editor's name */
  q?: string;
}

export const DEFAULT_FILTERS: QueueFilters = {
  anonOnly: false,
  unreviewedOnly: false,
  clusteredOnly: false,
  showTrusted: false,
  showHidden: false,
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function get(p: Params, k: string): string | undefined {
  if (p instanceof URLSearchParams) return p.get(k) ?? undefined;
  const v = p[k];
  return Array.isArray(v) ? v[0] : v;
}

const WIKI = /^[a-z][a-z0-9_-]{1,63}$/;
export const COUNTRY = /^[A-Z]{2}$/;

/** Lenient: anything malformed is dropped rather than refused (a hand-edited URL still shows a queue). */
export function parseFilters(p: Params): QueueFilters {
  const f: QueueFilters = { ...DEFAULT_FILTERS };
  const wiki = get(p, 'wiki');
  if (wiki && WIKI.test(wiki)) f.wiki = wiki;
  const ns = get(p, 'ns');
  if (ns && /^-?\d{1,4}$/.test(ns)) f.namespace = Number(ns);
  const score = Number(get(p, 'score'));
  if (get(p, 'score') && Number.isFinite(score) && score > 0 && score <= 1) f.minScore = Math.round(score * 100) / 100;
  f.anonOnly = get(p, 'anon') === '1';
  f.unreviewedOnly = get(p, 'unreviewed') === '1';
  f.clusteredOnly = get(p, 'cluster') === '1';
  if (get(p, 'evasion') === '1') f.evasionOnly = true;
  if (get(p, 'hosting') === '1') f.hostingOnly = true;
  const country = get(p, 'country')?.trim().toUpperCase();
  if (country && COUNTRY.test(country)) f.country = country;
  f.showTrusted = get(p, 'trusted') === '1';
  f.showHidden = get(p, 'hidden') === '1';
  const q = get(p, 'q')?.trim().slice(0, 100);
  if (q) f.q = q;
  return f;
}

/** The URL query string for a set of filters (defaults left out, so the plain /queue is the default view). */
export function filtersToSearch(f: QueueFilters): string {
  const s = new URLSearchParams();
  if (f.wiki) s.set('wiki', f.wiki);
  if (f.namespace !== undefined) s.set('ns', String(f.namespace));
  if (f.minScore !== undefined) s.set('score', String(f.minScore));
  if (f.anonOnly) s.set('anon', '1');
  if (f.unreviewedOnly) s.set('unreviewed', '1');
  if (f.clusteredOnly) s.set('cluster', '1');
  if (f.evasionOnly) s.set('evasion', '1');
  if (f.hostingOnly) s.set('hosting', '1');
  if (f.country) s.set('country', f.country);
  if (f.showTrusted) s.set('trusted', '1');
  if (f.showHidden) s.set('hidden', '1');
  if (f.q) s.set('q', f.q);
  return s.toString();
}

/** What the predicate needs of a row (a subset of EditRow). */
export interface FilterableRow {
  wiki: string;
  namespace: number;
  score: number | null;
  actorKind: string;
  actorName: string;
  title: string;
  review: unknown;
  cluster: unknown;
  block?: unknown;
  net?: { type: string; country: string | null } | null;
  whitelisted: boolean;
  hidden: boolean;
}

/** The same selection as the server query, for rows that arrive live. */
export function matchesFilters(r: FilterableRow, f: QueueFilters): boolean {
  if (f.wiki && r.wiki !== f.wiki) return false;
  if (f.namespace !== undefined && r.namespace !== f.namespace) return false;
  if (f.minScore !== undefined && (r.score === null || r.score < f.minScore)) return false;
  if (f.anonOnly && r.actorKind !== 'ip' && r.actorKind !== 'temp') return false;
  if (f.unreviewedOnly && r.review) return false;
  if (f.clusteredOnly && !r.cluster) return false;
  if (f.evasionOnly && !r.block) return false;
  if (f.hostingOnly && r.net?.type !== 'hosting') return false;
  if (f.country && r.net?.country !== f.country) return false;
  if (!f.showTrusted && r.whitelisted) return false;
  if (f.showHidden !== r.hidden) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!r.title.toLowerCase().includes(q) && !r.actorName.toLowerCase().includes(q)) return false;
  }
  return true;
}

/** Namespaces offered in the filter (the rest can still be set through the URL). */
export const NAMESPACES: [number, string][] = [
  [0, '(Main)'],
  [1, 'Talk'],
  [2, 'User'],
  [3, 'User talk'],
  [4, 'Project'],
  [6, 'File'],
  [10, 'Template'],
  [14, 'Category'],
  [118, 'Draft'],
];
