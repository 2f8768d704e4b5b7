import { describe, expect, it } from 'vitest';
import { backoffMs, isUnreachable } from '@/lib/blocks/sync';
import { BlockWikisConfigError, loadSyncTiming } from '@/lib/blocks/wikis';

describe('block sync timing and error classes', () => {
  it('reads the backoff and interval from the environment, with defaults, and names a bad variable without its value', () => {
    expect(loadSyncTiming({})).toEqual({ baseMs: 5_000, maxMs: 300_000, intervalMs: 10_000 });
    expect(loadSyncTiming({ MASKPATROL_BLOCK_SYNC_BACKOFF_MS: '200', MASKPATROL_BLOCK_SYNC_BACKOFF_MAX_MS: '1000', MASKPATROL_BLOCK_SYNC_INTERVAL_MS: '500' })).toEqual({ baseMs: 200, maxMs: 1000, intervalMs: 500 });
    // a maximum below the base is raised to it
    expect(loadSyncTiming({ MASKPATROL_BLOCK_SYNC_BACKOFF_MS: '2000', MASKPATROL_BLOCK_SYNC_BACKOFF_MAX_MS: '1000' }).maxMs).toBe(2000);
    expect(() => loadSyncTiming({ MASKPATROL_BLOCK_SYNC_BACKOFF_MS: 'soon-ish' })).toThrow(BlockWikisConfigError);
    expect(() => loadSyncTiming({ MASKPATROL_BLOCK_SYNC_BACKOFF_MS: 'soon-ish' })).toThrow(/MASKPATROL_BLOCK_SYNC_BACKOFF_MS$/);
  });

  it('backs off exponentially up to the cap', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 40].map((n) => backoffMs(n, b))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('tells a wiki that does not answer from a wiki that refuses', () => {
    for (const code of ['network', 'timeout', 'http-502', 'http-503', 'maxlag', 'readonly']) expect(isUnreachable(code)).toBe(true);
    for (const code of ['login-failed', 'badtoken', 'permissiondenied', 'alreadyblocked', 'http-403', 'ratelimited', 'anchor-unavailable']) expect(isUnreachable(code)).toBe(false);
  });
});
