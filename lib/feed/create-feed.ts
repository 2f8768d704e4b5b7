import { actionApiFeed } from './action-api-poller';
import type { FeedConfig } from './config';
import { demoFeed } from './demo/feed';
import { eventStreamsFeed } from './eventstreams-client';
import type { FeedLogger } from './http';
import { pace } from './pacing';
import { replayFile } from './replay';
import type { FeedItem } from './result';

export interface CreateFeedOptions {
  signal?: AbortSignal;
  logger?: FeedLogger;
  /** the cursor stored with the last committed batch, if any */
  cursor?: string | null;
}

/** The configured source as one async iterator of FeedItems (empty for MASKPATROL_FEED_SOURCE=none). */
export function createFeed(config: FeedConfig, opts: CreateFeedOptions = {}): AsyncGenerator<FeedItem> {
  const contact = config.MASKPATROL_FEED_CONTACT ?? '';
  const wikis = config.MASKPATROL_FEED_WIKIS;
  switch (config.MASKPATROL_FEED_SOURCE) {
    case 'eventstreams':
      return eventStreamsFeed({
        url: config.MASKPATROL_EVENTSTREAMS_URL,
        contact,
        wikis,
        lastEventId: opts.cursor ?? null,
        since: config.MASKPATROL_EVENTSTREAMS_SINCE,
        signal: opts.signal,
        logger: opts.logger,
      });
    case 'action-api':
      return actionApiFeed({
        apiUrl: config.MASKPATROL_ACTION_API_URL as string,
        wiki: config.MASKPATROL_ACTION_API_WIKI as string,
        contact,
        cursor: opts.cursor ?? null,
        limit: config.MASKPATROL_ACTION_API_LIMIT,
        intervalMs: config.MASKPATROL_ACTION_API_INTERVAL_SECONDS * 1000,
        maxlag: config.MASKPATROL_ACTION_API_MAXLAG,
        ores: config.MASKPATROL_ACTION_API_ORES,
        signal: opts.signal,
        logger: opts.logger,
      });
    case 'replay':
      return pace(
        replayFile(config.MASKPATROL_REPLAY_FILE as string, {
          format: config.MASKPATROL_REPLAY_FORMAT,
          wiki: config.MASKPATROL_REPLAY_WIKI,
          time: config.MASKPATROL_REPLAY_ORIGINAL_TIME ? 'original' : 'shift',
          fromCursor: opts.cursor ?? null,
          signal: opts.signal,
        }),
        { speed: config.replaySpeed, signal: opts.signal },
      );
    case 'demo':
      return demoFeed({
        seed: config.MASKPATROL_DEMO_SEED,
        meanIntervalMs: config.MASKPATROL_DEMO_INTERVAL_MS,
        wave: { everyMinutes: config.MASKPATROL_DEMO_WAVE_EVERY_MINUTES, lengthMinutes: config.MASKPATROL_DEMO_WAVE_MINUTES },
        signal: opts.signal,
      });
    case 'none':
      return (async function* () {})();
  }
}
