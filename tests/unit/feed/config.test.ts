import { describe, expect, it } from 'vitest';
import { loadFeedConfig } from '@/lib/feed/config';
import { createFeed } from '@/lib/feed/create-feed';
import { userAgent } from '@/lib/feed/http';
import type { FeedItem } from '@/lib/feed/result';
import { ES_SAMPLE } from './fixtures';

describe('feed configuration', () => {
  it('has safe defaults', () => {
    const c = loadFeedConfig({});
    expect(c.MASKPATROL_FEED_SOURCE).toBe('none');
    expect(c.MASKPATROL_EVENTSTREAMS_URL).toBe('https://stream.wikimedia.org/v2/stream/recentchange');
    expect(c.replaySpeed).toBe(1);
    expect(c.MASKPATROL_FEED_WIKIS).toEqual([]);
  });

  it('requires what the chosen source needs and never echoes values', () => {
    expect(() => loadFeedConfig({ MASKPATROL_FEED_SOURCE: 'eventstreams' })).toThrow('MASKPATROL_FEED_CONTACT is required');
    expect(() => loadFeedConfig({ MASKPATROL_FEED_SOURCE: 'action-api', MASKPATROL_FEED_CONTACT: 'a@b' })).toThrow('MASKPATROL_ACTION_API_URL');
    expect(() => loadFeedConfig({ MASKPATROL_FEED_WIKIS: 'enwiki,Secret Value' })).toThrow(/^Invalid feed configuration: MASKPATROL_FEED_WIKIS$/);
    expect(loadFeedConfig({ MASKPATROL_FEED_WIKIS: 'enwiki, lvwiki', MASKPATROL_REPLAY_SPEED: 'max' })).toMatchObject({
      MASKPATROL_FEED_WIKIS: ['enwiki', 'lvwiki'],
      replaySpeed: 'max',
    });
  });

  it("checks the demo wave's schedule", () => {
    expect(loadFeedConfig({})).toMatchObject({ MASKPATROL_DEMO_WAVE_EVERY_MINUTES: 120, MASKPATROL_DEMO_WAVE_MINUTES: 20 });
    expect(loadFeedConfig({ MASKPATROL_DEMO_WAVE_EVERY_MINUTES: '10', MASKPATROL_DEMO_WAVE_MINUTES: '10' })).toMatchObject({
      MASKPATROL_DEMO_WAVE_EVERY_MINUTES: 10,
      MASKPATROL_DEMO_WAVE_MINUTES: 10,
    });
    expect(() => loadFeedConfig({ MASKPATROL_DEMO_WAVE_EVERY_MINUTES: '10', MASKPATROL_DEMO_WAVE_MINUTES: '11' })).toThrow(
      'MASKPATROL_DEMO_WAVE_MINUTES must not exceed MASKPATROL_DEMO_WAVE_EVERY_MINUTES',
    );
    expect(() => loadFeedConfig({ MASKPATROL_DEMO_WAVE_EVERY_MINUTES: '0' })).toThrow(/MASKPATROL_DEMO_WAVE_EVERY_MINUTES/);
  });

  it('builds a replay feed from configuration', async () => {
    const c = loadFeedConfig({ MASKPATROL_FEED_SOURCE: 'replay', MASKPATROL_REPLAY_FILE: ES_SAMPLE, MASKPATROL_REPLAY_SPEED: 'max' });
    const items: FeedItem[] = [];
    for await (const x of createFeed(c, { cursor: '90' })) items.push(x);
    expect(items).toHaveLength(10);
  });

  it('formats a policy-compliant User-Agent without control characters', () => {
    expect(userAgent('ops@example.org\r\nX-Evil: 1', '1.2.3')).toBe('maskpatrol/1.2.3 (ops@example.orgX-Evil: 1)');
    expect(userAgent('', '1.2.3')).toBe('maskpatrol/1.2.3 (no contact configured)');
  });
});
