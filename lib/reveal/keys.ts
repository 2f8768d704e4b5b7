import { loadConfig } from '../config';
import { KeyRing } from '../masking/keyring';

/** The process's key ring for vault reads (one per key directory, kept on globalThis across Next.js bundles). */
const g = globalThis as unknown as { __maskpatrolRevealKeys?: { dir: string; ring: KeyRing } };

export function revealKeyRing(): KeyRing {
  const dir = loadConfig().keysDir;
  if (g.__maskpatrolRevealKeys?.dir !== dir) g.__maskpatrolRevealKeys = { dir, ring: new KeyRing(dir) };
  return g.__maskpatrolRevealKeys.ring;
}
