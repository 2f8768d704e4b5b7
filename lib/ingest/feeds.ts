import path from 'node:path';
import { loadFeedConfig, FeedConfigError } from '../feed/config';
import { createFeed } from '../feed/create-feed';
import type { FeedLogger } from '../feed/http';
import { log } from '../log';
import type { FeedSpec } from './ingester';

export const FEED_SOURCES = ['eventstreams', 'action-api', 'replay', 'demo'] as const;
type Source = (typeof FEED_SOURCES)[number];

/** The real day the embedded default replays on first start (shipped with the project). */
export const DEFAULT_REPLAY_FILE = 'fixtures/realdata/druid-wikiticker-2015-09-12-irc-recentchanges.jsonl.gz';

const feedLogger: FeedLogger = {
  info: (obj, msg) => log().info(obj, msg),
  warn: (obj, msg) => log().warn(obj, msg),
};

/**
 * The feeds this deployment ingests. MASKPATROL_FEED_SOURCE is a comma-separated list of
 * eventstreams | action-api | replay | demo | none. Default: on the embedded default "replay,demo" (the
 * shipped 2015 day, as fast as possible, shifted to end now; plus the live demo generator); on PostgreSQL
 * "none".
 */
export function feedSpecs(env: Record<string, string | undefined>, embedded: boolean): FeedSpec[] {
  const raw = env.MASKPATROL_FEED_SOURCE?.trim() || (embedded ? 'replay,demo' : 'none');
  const sources = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sources)
    if (s !== 'none' && !(FEED_SOURCES as readonly string[]).includes(s))
      throw new FeedConfigError(`MASKPATROL_FEED_SOURCE: unknown source "${s.slice(0, 20)}" (use ${FEED_SOURCES.join(', ')} or none)`);
  const defaults: Record<string, string> = embedded
    ? { MASKPATROL_REPLAY_FILE: DEFAULT_REPLAY_FILE, MASKPATROL_REPLAY_SPEED: 'max' }
    : {};
  return sources
    .filter((s): s is Source => s !== 'none')
    .map((source) => {
      const config = loadFeedConfig({ ...defaults, ...env, MASKPATROL_FEED_SOURCE: source });
      if (source === 'demo') {
        // a new seed per run: the generator's ids must not repeat those of an earlier run
        config.MASKPATROL_DEMO_SEED = (config.MASKPATROL_DEMO_SEED + Math.floor(Date.now() / 1000)) | 0;
      }
      const name =
        source === 'replay'
          ? `replay:${path.basename(config.MASKPATROL_REPLAY_FILE ?? '')}`
          : source === 'action-api'
            ? `action-api:${config.MASKPATROL_ACTION_API_WIKI}`
            : source;
      return {
        name,
        restartOnEnd: source !== 'replay',
        open: (cursor, signal) => createFeed(config, { cursor, signal, logger: feedLogger }),
      } satisfies FeedSpec;
    });
}
