import { z } from 'zod';
import { DEFAULT_EVENTSTREAMS_URL } from './eventstreams-client';
import { parseSpeed, type Speed } from './pacing';

/**
 * Feed configuration from the environment (docs/feed-adapters.md "Configuration"). Kept apart from
 * lib/config.ts so the lead can fold it in; every variable is optional except what the chosen source needs.
 */
const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const FeedEnv = z.object({
  MASKPATROL_FEED_SOURCE: z.enum(['none', 'eventstreams', 'action-api', 'replay', 'demo']).default('none'),
  MASKPATROL_FEED_CONTACT: z.string().max(200).optional(),
  MASKPATROL_FEED_WIKIS: list.pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*$/))).default([]),
  MASKPATROL_EVENTSTREAMS_URL: z.string().url().default(DEFAULT_EVENTSTREAMS_URL),
  MASKPATROL_EVENTSTREAMS_SINCE: z.string().optional(),
  MASKPATROL_ACTION_API_URL: z.string().url().optional(),
  MASKPATROL_ACTION_API_WIKI: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  MASKPATROL_ACTION_API_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  MASKPATROL_ACTION_API_LIMIT: z.coerce.number().int().min(1).max(500).default(100),
  MASKPATROL_ACTION_API_MAXLAG: z.coerce.number().int().min(1).max(60).default(5),
  MASKPATROL_ACTION_API_ORES: bool.default(false),
  MASKPATROL_REPLAY_FILE: z.string().optional(),
  MASKPATROL_REPLAY_FORMAT: z.enum(['auto', 'eventstreams', 'action-api', 'irc-2015']).default('auto'),
  MASKPATROL_REPLAY_WIKI: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  MASKPATROL_REPLAY_SPEED: z.string().default('1'),
  MASKPATROL_REPLAY_ORIGINAL_TIME: bool.default(false),
  MASKPATROL_DEMO_SEED: z.coerce.number().int().default(1),
  MASKPATROL_DEMO_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  MASKPATROL_DEMO_WAVE_EVERY_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  MASKPATROL_DEMO_WAVE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(20),
});

export type FeedConfig = Omit<z.infer<typeof FeedEnv>, 'MASKPATROL_REPLAY_SPEED'> & { replaySpeed: Speed };

export class FeedConfigError extends Error {
  override name = 'FeedConfigError';
}

export function loadFeedConfig(env: Record<string, string | undefined> = process.env): FeedConfig {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = FeedEnv.safeParse(clean);
  if (!parsed.success) {
    // variable names only: values (URLs with tokens, contacts) are not echoed
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new FeedConfigError(`Invalid feed configuration: ${names.join(', ')}`);
  }
  const { MASKPATROL_REPLAY_SPEED, ...c } = parsed.data;
  const replaySpeed = parseSpeed(MASKPATROL_REPLAY_SPEED);
  if (replaySpeed === null) throw new FeedConfigError('Invalid feed configuration: MASKPATROL_REPLAY_SPEED');
  const need = (ok: unknown, name: string) => {
    if (!ok) throw new FeedConfigError(`${name} is required when MASKPATROL_FEED_SOURCE=${c.MASKPATROL_FEED_SOURCE}`);
  };
  if (c.MASKPATROL_FEED_SOURCE === 'eventstreams' || c.MASKPATROL_FEED_SOURCE === 'action-api') {
    need(c.MASKPATROL_FEED_CONTACT, 'MASKPATROL_FEED_CONTACT');
  }
  if (c.MASKPATROL_FEED_SOURCE === 'action-api') {
    need(c.MASKPATROL_ACTION_API_URL, 'MASKPATROL_ACTION_API_URL');
    need(c.MASKPATROL_ACTION_API_WIKI, 'MASKPATROL_ACTION_API_WIKI');
  }
  if (c.MASKPATROL_DEMO_WAVE_MINUTES > c.MASKPATROL_DEMO_WAVE_EVERY_MINUTES)
    throw new FeedConfigError('Invalid feed configuration: MASKPATROL_DEMO_WAVE_MINUTES must not exceed MASKPATROL_DEMO_WAVE_EVERY_MINUTES');
  if (c.MASKPATROL_FEED_SOURCE === 'replay') need(c.MASKPATROL_REPLAY_FILE, 'MASKPATROL_REPLAY_FILE');
  return { ...c, replaySpeed };
}
