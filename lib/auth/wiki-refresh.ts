import { db } from '../db/client';
import { log } from '../log';
import { syncWikiAccount } from '../services/wiki-roles';
import { oauthConfig, type OAuthConfig } from './oauth-config';
import { deriveRoles, readGroups } from './wiki-groups';

export interface RefreshResult {
  checked: number;
  changed: number;
  failed: number;
}

/**
 * Re-read the groups of the OAuth accounts not checked within the refresh interval (oldest first, at most
 * `limit` per round), and bring their roles in step (lib/services/wiki-roles.ts). Disabled accounts are
 * skipped; an account is never created here. Safe on several instances at once: the sync locks the account
 * row and an unchanged reading writes nothing but the time of the check.
 */
export async function refreshWikiRoles(
  cfg: OAuthConfig,
  opts: { now?: Date; limit?: number; fetchImpl?: typeof fetch } = {},
): Promise<RefreshResult> {
  const now = opts.now ?? new Date();
  const stale = new Date(now.getTime() - cfg.refreshMs);
  const users = await db().user.findMany({
    where: { oauthIssuer: cfg.baseUrl, disabled: false, OR: [{ groupsCheckedAt: null }, { groupsCheckedAt: { lt: stale } }] },
    orderBy: { groupsCheckedAt: 'asc' },
    take: opts.limit ?? 200,
    select: { id: true, oauthSub: true, wikiUsername: true },
  });
  const out: RefreshResult = { checked: 0, changed: 0, failed: 0 };
  for (const u of users) {
    if (!u.oauthSub || !u.wikiUsername) continue;
    try {
      const reading = await readGroups(cfg, { name: u.wikiUsername, sub: u.oauthSub }, opts.fetchImpl);
      const derived = deriveRoles(reading, cfg);
      const r = await syncWikiAccount({ issuer: cfg.baseUrl, sub: u.oauthSub, wikiUsername: u.wikiUsername, ...derived, create: false, now });
      out.checked++;
      if (r && (r.added.length || r.removed.length)) out.changed++;
    } catch (err) {
      out.failed++;
      log().error({ err, userId: u.id }, 'wiki group refresh failed');
    }
  }
  if (out.changed || out.failed) log().info({ event: 'oauth.refresh', ...out }, 'wiki groups refreshed');
  return out;
}

/**
 * The periodic refresh in the server process: a round every few minutes (at most the refresh interval)
 * takes the accounts whose last check is older than the interval. Off when OAuth is not configured.
 */
export function startWikiRoleRefresh(cfg: OAuthConfig | null = oauthConfig()): { stop(): void } {
  if (!cfg) return { stop() {} };
  const period = Math.min(cfg.refreshMs, 5 * 60_000);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshWikiRoles(cfg)
      .catch((err: unknown) => log().error({ err }, 'wiki group refresh round failed'))
      .finally(() => (running = false));
  }, period);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
