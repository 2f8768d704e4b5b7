import fs from 'node:fs';
import path from 'node:path';

/** Shared plumbing for the network adapters: User-Agent, backoff, abortable sleep, Retry-After. */

/** Minimal pino-compatible logger. Adapters log counts, codes and field names — never event values. */
export interface FeedLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: FeedLogger = { info: () => {}, warn: () => {} };

let version: string | undefined;
export function appVersion(): string {
  if (!version) {
    try {
      version = (JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/** Wikimedia's User-Agent policy asks for a tool name, version and a way to reach the operator. */
export function userAgent(contact: string, ver: string = appVersion()): string {
  const safe = contact.replace(/[^\x20-\x7e]/g, '').replace(/[()]/g, '').trim() || 'no contact configured';
  return `maskpatrol/${ver} (${safe})`;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (err instanceof Error && err.name === 'AbortError');
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** random source in [0, 1); injectable for tests */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between d/2 and d where
 * d = min(maxMs, initialMs × factor^n). Capped, never zero, spreads reconnect storms.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 1000;
  const max = opts.maxMs ?? 60_000;
  const factor = opts.factor ?? 2;
  const d = Math.min(max, initial * factor ** Math.min(attempt, 30));
  return Math.round(d / 2 + (opts.random ?? Math.random)() * (d / 2));
}

/** Retry-After as seconds or an HTTP date → milliseconds (capped), or null when absent/garbled. */
export function retryAfterMs(header: string | null, now: number = Date.now(), capMs = 10 * 60_000): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Math.min(capMs, Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(capMs, Math.max(0, at - now));
}

/** Read a response body, refusing more than `maxBytes` (a hostile or broken server cannot exhaust memory). */
export async function readBodyCapped(res: Response, maxBytes: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await res.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
