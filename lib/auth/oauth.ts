import WikimediaProvider, { type WikimediaProfile } from 'next-auth/providers/wikimedia';
import { log } from '../log';
import { syncWikiAccount, type WikiAccount } from '../services/wiki-roles';
import type { OAuthConfig } from './oauth-config';
import { deriveRoles, readGroups } from './wiki-groups';

/** next-auth's provider id for sign-in with a wiki account. */
export const WIKI_PROVIDER_ID = 'wikimedia';

/**
 * next-auth's built-in Wikimedia provider, pointed at the configured MediaWiki: its endpoints are
 * overridden (next-auth deep-merges the options over the provider's defaults) with the base URL's
 * rest.php OAuth 2 endpoints, so any wiki with Extension:OAuth works.
 */
export function wikiProvider(cfg: OAuthConfig) {
  return WikimediaProvider({
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    authorization: { url: cfg.authorizeUrl, params: { scope: '' } },
    token: cfg.tokenUrl,
    userinfo: cfg.profileUrl,
    // the name shown on the button; the profile's own groups cover only the OAuth host, so roles are read per wiki
    name: 'wiki account',
    profile(profile: WikimediaProfile) {
      return { id: String(profile.sub), name: profile.username, email: null };
    },
  });
}

export type WikiSignIn =
  | { ok: true; account: WikiAccount }
  /** no-role: no mapped group anywhere (no account is created); disabled; unavailable: no wiki answered */
  | { ok: false; reason: 'no-role' | 'disabled' | 'unavailable' };

/**
 * Sign-in with a wiki account: read the user's groups on every configured wiki, bring the account's roles
 * in step (creating the account on a first sign-in with a mapped group), and decide. The profile's `sub`
 * is the stable identity; the name is only used to look the groups up (and checked against `sub`).
 */
export async function signInWithWiki(cfg: OAuthConfig, profile: { sub: string; username: string }, fetchImpl: typeof fetch = fetch): Promise<WikiSignIn> {
  const sub = String(profile.sub);
  const reading = await readGroups(cfg, { name: profile.username, sub }, fetchImpl);
  const derived = deriveRoles(reading, cfg);
  if (derived.known.length === 0) return { ok: false, reason: 'unavailable' };
  const account = await syncWikiAccount({ issuer: cfg.baseUrl, sub, wikiUsername: profile.username, ...derived, create: true });
  if (!account) return { ok: false, reason: 'no-role' };
  if (account.disabled) return { ok: false, reason: 'disabled' };
  if (account.roles.length === 0) return { ok: false, reason: 'no-role' };
  log().info({ event: 'oauth.signin', userId: account.id, created: account.created, added: account.added.length, removed: account.removed.length }, 'signed in with a wiki account');
  return { ok: true, account };
}
