/**
 * Per-feed ingest rates in this process (the ingesting instance): stored events per second over the
 * last minute, in one-second buckets.
 */
const WINDOW = 60;

interface Counter {
  buckets: number[];
  second: number;
}

const g = globalThis as unknown as { __maskpatrolRates?: Map<string, Counter> };
const rates = (): Map<string, Counter> => (g.__maskpatrolRates ??= new Map());

export function countStored(feed: string, n: number, nowMs = Date.now()): void {
  const s = Math.floor(nowMs / 1000);
  let c = rates().get(feed);
  if (!c) rates().set(feed, (c = { buckets: new Array<number>(WINDOW).fill(0), second: s }));
  advance(c, s);
  c.buckets[s % WINDOW]! += n;
}

function advance(c: Counter, s: number) {
  for (let t = c.second + 1; t <= s && t <= c.second + WINDOW; t++) c.buckets[t % WINDOW] = 0;
  c.second = Math.max(c.second, s);
}

/** Events per second over the last minute, or null when this process does not ingest the feed. */
export function ratePerSecond(feed: string, nowMs = Date.now()): number | null {
  const c = rates().get(feed);
  if (!c) return null;
  advance(c, Math.floor(nowMs / 1000));
  return c.buckets.reduce((a, b) => a + b, 0) / WINDOW;
}
