import { db } from '../db/client';
import { loadConfig } from '../config';
import { KeyRing } from '../masking/keyring';
import { log } from '../log';
import { onBlocksChanged } from './events';
import { BlockMatcher } from './matcher';

/**
 * The process's one block matcher, shared by the feeds and the signed /api/ingest endpoint (held on globalThis:
 * Next.js bundles route handlers apart from the server's own modules). `startBlockMatcher` loads it, reloads it
 * on every block change and every minute.
 */
const g = globalThis as unknown as { __maskpatrolBlocks?: { dir: string; matcher: BlockMatcher; started: boolean } };

export function sharedBlockMatcher(): BlockMatcher {
  const dir = loadConfig().keysDir;
  if (g.__maskpatrolBlocks?.dir !== dir) g.__maskpatrolBlocks = { dir, matcher: new BlockMatcher(db, new KeyRing(dir), dir), started: false };
  return g.__maskpatrolBlocks.matcher;
}

/** The process's matcher if one exists (no configuration read: for per-event callers such as the scorer). */
export function existingBlockMatcher(): BlockMatcher | null {
  return g.__maskpatrolBlocks?.matcher ?? null;
}

/** Whether this process enforces blocks (the server does; tools and tests that never started it do not). */
export function blockMatcherStarted(): boolean {
  return !!g.__maskpatrolBlocks?.started;
}

export function startBlockMatcher(intervalMs = 60_000): () => void {
  const m = sharedBlockMatcher();
  g.__maskpatrolBlocks!.started = true;
  const reload = () =>
    m.reload().catch((err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'could not reload the active blocks'));
  void reload();
  const off = onBlocksChanged(() => void reload());
  const timer = setInterval(() => void reload(), intervalMs);
  timer.unref();
  return () => {
    off();
    clearInterval(timer);
    g.__maskpatrolBlocks!.started = false;
  };
}
