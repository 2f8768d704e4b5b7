import { z } from 'zod';

/**
 * The wikis blocks are imported from and pushed to (MASKPATROL_BLOCK_WIKIS, a JSON array):
 *   [{ "wiki": "enwiki", "api": "https://en.wikipedia.org/w/api.php", "import": true, "sync": true,
 *      "botUser": "Maskpatrol@blocksync" }]
 * The bot password (Special:BotPasswords) of a wiki comes from MASKPATROL_BOT_PASSWORD_<WIKI> (upper case), never
 * from the JSON, so the list can be shown and logged. Sync needs botUser and a password; import needs neither.
 */
export const ZWikiBlockConfig = z.object({
  wiki: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/),
  api: z.string().url(),
  import: z.boolean().default(true),
  sync: z.boolean().default(false),
  botUser: z.string().min(1).max(255).optional(),
});
export type WikiBlockConfig = z.output<typeof ZWikiBlockConfig> & { botPassword?: string };

export class BlockWikisConfigError extends Error {
  override name = 'BlockWikisConfigError';
}

export function loadBlockWikis(env: Record<string, string | undefined> = process.env): WikiBlockConfig[] {
  const raw = env.MASKPATROL_BLOCK_WIKIS?.trim();
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BlockWikisConfigError('MASKPATROL_BLOCK_WIKIS: not valid JSON');
  }
  const parsed = z.array(ZWikiBlockConfig).max(1000).safeParse(json);
  if (!parsed.success)
    throw new BlockWikisConfigError(`MASKPATROL_BLOCK_WIKIS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.map((w) => ({ ...w, botPassword: env[`MASKPATROL_BOT_PASSWORD_${w.wiki.toUpperCase()}`] || undefined }));
}

/**
 * The sync's timing: a pending block is retried after base · 2^attempts ms, at most max ms; the job looks for due
 * blocks every interval ms (and at once after every block change). Defaults 5 s, 5 min, 10 s; tests shorten them.
 */
export interface SyncBackoff {
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_SYNC_BACKOFF: SyncBackoff = { baseMs: 5_000, maxMs: 300_000 };

const ZSyncTiming = z.object({
  MASKPATROL_BLOCK_SYNC_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(DEFAULT_SYNC_BACKOFF.baseMs),
  MASKPATROL_BLOCK_SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(DEFAULT_SYNC_BACKOFF.maxMs),
  MASKPATROL_BLOCK_SYNC_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
});

export function loadSyncTiming(env: Record<string, string | undefined> = process.env): SyncBackoff & { intervalMs: number } {
  const clean = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('MASKPATROL_BLOCK_SYNC_') && v));
  const p = ZSyncTiming.safeParse(clean);
  if (!p.success) throw new BlockWikisConfigError(`Invalid block sync configuration: ${[...new Set(p.error.issues.map((i) => String(i.path[0])))].join(', ')}`);
  return { baseMs: p.data.MASKPATROL_BLOCK_SYNC_BACKOFF_MS, maxMs: Math.max(p.data.MASKPATROL_BLOCK_SYNC_BACKOFF_MS, p.data.MASKPATROL_BLOCK_SYNC_BACKOFF_MAX_MS), intervalMs: p.data.MASKPATROL_BLOCK_SYNC_INTERVAL_MS };
}

/** Whether blocks made here on `wiki` are pushed to it. */
export function syncs(wikis: readonly WikiBlockConfig[], wiki: string): boolean {
  return wikis.some((w) => w.wiki === wiki && w.sync && w.botUser && w.botPassword);
}
