import { z } from 'zod';
import { ROLES, type RoleName } from './permissions';

/**
 * Wikimedia / MediaWiki OAuth 2 settings (README "Wikimedia OAuth"). Sign-in with a wiki account is on
 * when a client id and secret are set. `MASKPATROL_OAUTH_BASE_URL` is the wiki's script path (where
 * rest.php and api.php live), so any MediaWiki with Extension:OAuth works, not only Wikimedia's.
 */
export const OAuthEnvSchema = z.object({
  MASKPATROL_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  MASKPATROL_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  MASKPATROL_OAUTH_BASE_URL: z.string().url().default('https://meta.wikimedia.org/w'),
  /** wikis whose local groups give per-wiki roles: "enwiki=https://en.wikipedia.org/w/api.php,…" */
  MASKPATROL_OAUTH_WIKIS: z.string().optional(),
  /** MediaWiki group → maskpatrol role: "sysop=admin,checkuser=checkuser,…" */
  MASKPATROL_OAUTH_GROUP_MAP: z.string().optional(),
  /** how often an OAuth account's groups are read again between sign-ins */
  MASKPATROL_OAUTH_REFRESH_MINUTES: z.coerce.number().positive().max(24 * 60).default(60),
});

export const DEFAULT_GROUP_MAP: Readonly<Record<string, RoleName>> = {
  sysop: 'admin',
  checkuser: 'checkuser',
  steward: 'steward',
  rollbacker: 'patroller',
  patroller: 'patroller',
};

export interface WikiEndpoint {
  /** the wiki id roles are held on (enwiki) */
  wiki: string;
  /** its Action API (https://en.wikipedia.org/w/api.php) */
  api: string;
}

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** the OAuth host's script path without trailing slash; also the issuer an account is linked under */
  baseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  profileUrl: string;
  /** the OAuth host's own Action API: global groups (CentralAuth) and, when no wikis are listed, local groups */
  hostApi: string;
  /** explicitly listed wikis; empty: the OAuth host alone, under the wiki id it reports (siteinfo) */
  wikis: WikiEndpoint[];
  groupMap: Readonly<Record<string, RoleName>>;
  refreshMs: number;
  userAgent: string;
}

const WIKI_ID = /^[a-z][a-z0-9_-]{1,63}$/;

export function parseGroupMap(raw: string | undefined): Record<string, RoleName> {
  if (raw === undefined || raw.trim() === '') return { ...DEFAULT_GROUP_MAP };
  const out: Record<string, RoleName> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [group, role] = part.split('=').map((s) => s.trim());
    if (!group || !role || !(ROLES as readonly string[]).includes(role))
      throw new Error(`MASKPATROL_OAUTH_GROUP_MAP: "${part}" is not group=role (roles: ${ROLES.join(', ')})`);
    out[group] = role as RoleName;
  }
  return out;
}

export function parseWikis(raw: string | undefined): WikiEndpoint[] {
  if (raw === undefined || raw.trim() === '') return [];
  const seen = new Set<string>();
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const wiki = part.slice(0, eq).trim();
      const api = part.slice(eq + 1).trim();
      if (eq < 1 || !WIKI_ID.test(wiki) || !/^https?:\/\/[^/]+\/.*api\.php$/.test(api) || seen.has(wiki))
        throw new Error(`MASKPATROL_OAUTH_WIKIS: "${part}" is not wikiid=https://…/api.php (each wiki once)`);
      seen.add(wiki);
      return { wiki, api };
    });
}

/** The OAuth settings, or null when sign-in with a wiki account is off. Throws on a malformed setting. */
export function oauthConfig(env: Record<string, string | undefined> = process.env): OAuthConfig | null {
  const clean = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('MASKPATROL_') && v !== undefined && v !== ''));
  const parsed = OAuthEnvSchema.safeParse(clean);
  if (!parsed.success) throw new Error(`Invalid OAuth configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  if (!c.MASKPATROL_OAUTH_CLIENT_ID || !c.MASKPATROL_OAUTH_CLIENT_SECRET) return null;
  const baseUrl = c.MASKPATROL_OAUTH_BASE_URL.replace(/\/+$/, '');
  const contact = env.MASKPATROL_FEED_CONTACT;
  return {
    clientId: c.MASKPATROL_OAUTH_CLIENT_ID,
    clientSecret: c.MASKPATROL_OAUTH_CLIENT_SECRET,
    baseUrl,
    authorizeUrl: `${baseUrl}/rest.php/oauth2/authorize`,
    tokenUrl: `${baseUrl}/rest.php/oauth2/access_token`,
    profileUrl: `${baseUrl}/rest.php/oauth2/resource/profile`,
    hostApi: `${baseUrl}/api.php`,
    wikis: parseWikis(c.MASKPATROL_OAUTH_WIKIS),
    groupMap: parseGroupMap(c.MASKPATROL_OAUTH_GROUP_MAP),
    refreshMs: Math.round(c.MASKPATROL_OAUTH_REFRESH_MINUTES * 60_000),
    userAgent: `maskpatrol/0.1 (group sync${contact ? `; ${contact}` : ''})`,
  };
}
