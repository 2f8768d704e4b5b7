import { log } from '../log';
import { GLOBAL, GLOBAL_ONLY_ROLES, type RoleHolding } from './permissions';
import type { OAuthConfig } from './oauth-config';

/**
 * A user's MediaWiki groups, read per wiki through the Action API by user name —
 * `action=query&list=users&ususers=NAME&usprop=groups|centralids` — never with the user's OAuth token:
 * group membership is public, so the periodic refresh needs no stored token (tokens expire, and a stored
 * token would be one more secret at rest), and one request per wiki serves sign-in and refresh alike.
 * A name can change hands after a rename, so every answer is checked against the account's stable id (the
 * OAuth profile's `sub`, MediaWiki's central id): a wiki whose user of that name has another central id
 * counts as "no groups there". The OAuth host is asked in the same request for the user's global groups
 * (`meta=globaluserinfo`, CentralAuth; a wiki without it ignores the module) and its wiki id (siteinfo).
 */
export type ReadingStatus = 'ok' | 'missing' | 'mismatch' | 'error';

export interface WikiReading {
  wiki: string;
  status: ReadingStatus;
  groups: string[];
}

export interface GroupReading {
  /** the OAuth host's wiki id (siteinfo), its local groups, and the user's global groups there */
  host: WikiReading;
  global: { status: ReadingStatus; groups: string[] };
  /** the listed wikis (MASKPATROL_OAUTH_WIKIS) */
  wikis: WikiReading[];
}

type Json = Record<string, unknown>;

async function apiQuery(cfg: OAuthConfig, api: string, params: Record<string, string>, fetchImpl: typeof fetch): Promise<Json> {
  const url = new URL(api);
  for (const [k, v] of Object.entries({ action: 'query', format: 'json', formatversion: '2', ...params })) url.searchParams.set(k, v);
  const res = await fetchImpl(url, { headers: { 'User-Agent': cfg.userAgent, Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as Json;
  if (body.error) throw new Error(`API error ${String((body.error as Json).code ?? '')}`);
  return (body.query ?? {}) as Json;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** One list=users entry → status and groups, checked against the account's central id. */
function userEntry(query: Json, sub: string): { status: ReadingStatus; groups: string[] } {
  const u = (Array.isArray(query.users) ? query.users[0] : undefined) as Json | undefined;
  if (!u || u.missing || u.invalid) return { status: 'missing', groups: [] };
  const ids = (u.centralids ?? {}) as Json;
  const central = ids.CentralAuth ?? ids.local ?? u.userid;
  if (central === undefined || String(central) !== sub) return { status: 'mismatch', groups: [] };
  return { status: 'ok', groups: strings(u.groups) };
}

function globalEntry(query: Json, sub: string): { status: ReadingStatus; groups: string[] } {
  const g = query.globaluserinfo as Json | undefined;
  if (!g || g.missing) return { status: 'missing', groups: [] };
  if (String(g.id) !== sub) return { status: 'mismatch', groups: [] };
  return { status: 'ok', groups: strings(g.groups) };
}

/** Read the user's groups on the OAuth host (local + global) and on every listed wiki, in parallel. */
export async function readGroups(
  cfg: OAuthConfig,
  who: { name: string; sub: string },
  fetchImpl: typeof fetch = fetch,
): Promise<GroupReading> {
  const userParams = { list: 'users', ususers: who.name, usprop: 'groups|centralids' };
  const hostP = apiQuery(cfg, cfg.hostApi, { ...userParams, meta: 'globaluserinfo|siteinfo', guiuser: who.name, guiprop: 'groups', siprop: 'general' }, fetchImpl);
  const listed = cfg.wikis.map(async (w): Promise<WikiReading> => {
    // the host's own entry is answered by the host request
    const q = w.api === cfg.hostApi ? await hostP : await apiQuery(cfg, w.api, userParams, fetchImpl);
    return { wiki: w.wiki, ...userEntry(q, who.sub) };
  });
  let host: WikiReading;
  let global: GroupReading['global'];
  try {
    const q = await hostP;
    const wikiId = String(((q.general ?? {}) as Json).wikiid ?? '');
    host = { wiki: wikiId, ...userEntry(q, who.sub) };
    global = globalEntry(q, who.sub);
  } catch (err) {
    log().warn({ event: 'oauth.groups.unreachable', wiki: 'host', reason: (err as Error).message }, 'could not read groups on the OAuth wiki');
    host = { wiki: '', status: 'error', groups: [] };
    global = { status: 'error', groups: [] };
  }
  const wikis = await Promise.all(
    listed.map((p, i) =>
      p.catch((err: unknown) => {
        log().warn({ event: 'oauth.groups.unreachable', wiki: cfg.wikis[i]!.wiki, reason: (err as Error).message }, 'could not read groups on a wiki');
        return { wiki: cfg.wikis[i]!.wiki, status: 'error' as const, groups: [] };
      }),
    ),
  );
  return { host, global, wikis };
}

export interface DerivedRoles {
  /** the roles the wiki groups give */
  roles: RoleHolding[];
  /** scopes (wiki ids, "*") whose groups were read definitively; roles elsewhere are left as they are */
  known: string[];
}

/**
 * Groups → roles through the map. A listed wiki's local groups give roles on that wiki; roles that exist only
 * globally (steward) come from global groups or from the OAuth host's own local groups (on Wikimedia the
 * steward group is local to Meta-Wiki and global through CentralAuth), never from another wiki's local
 * groups. With no wikis listed, the OAuth host's local groups give roles on the host's wiki id.
 */
export function deriveRoles(reading: GroupReading, cfg: Pick<OAuthConfig, 'groupMap' | 'wikis'>): DerivedRoles {
  const roles = new Map<string, RoleHolding>();
  const add = (h: RoleHolding) => roles.set(`${h.role}@${h.wiki}`, h);
  const known = new Set<string>();
  const definitive = (s: ReadingStatus) => s !== 'error';
  for (const w of reading.wikis) {
    if (!definitive(w.status)) continue;
    known.add(w.wiki);
    for (const g of w.groups) {
      const role = cfg.groupMap[g];
      if (role && !GLOBAL_ONLY_ROLES.includes(role)) add({ role, wiki: w.wiki });
    }
  }
  const hostDefinitive = definitive(reading.host.status) && definitive(reading.global.status);
  if (hostDefinitive) {
    known.add(GLOBAL);
    for (const g of reading.global.groups) {
      const role = cfg.groupMap[g];
      if (role) add({ role, wiki: GLOBAL });
    }
    const hostListed = cfg.wikis.length === 0 && /^[a-z][a-z0-9_-]{1,63}$/.test(reading.host.wiki);
    if (hostListed) known.add(reading.host.wiki);
    for (const g of reading.host.groups) {
      const role = cfg.groupMap[g];
      if (!role) continue;
      if (GLOBAL_ONLY_ROLES.includes(role)) add({ role, wiki: GLOBAL });
      else if (hostListed) add({ role, wiki: reading.host.wiki });
    }
  }
  return { roles: [...roles.values()], known: [...known] };
}
