import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { RawEdit } from '@/lib/feed/types';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import type { MaskedEdit } from '@/lib/masking/types';
import { anonEdit, rawEdit } from '../../helpers/raw-edit';

/** A real masking boundary on a throwaway key store: the scorer sees what production sees. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-score-keys-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const masker = new Masker({ keys: new KeyRing(path.join(dir, 'keys'), () => new Date('2026-03-01T12:00:00Z'), 0), limits: { v4: 16, v6: 19 } });

export const mask = (raw: RawEdit): MaskedEdit => masker.maskEdit(raw).masked;

const T0 = Date.parse('2026-03-01T12:00:00Z');
/** ISO time `sec` seconds after the test epoch. */
export const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();

export const ipEdit = (ip: string, over: Partial<RawEdit> = {}) => mask(anonEdit(ip, { comment: 'fixed typo', ...over }));
export const userEdit = (user: string, over: Partial<RawEdit> = {}) => mask(rawEdit({ user, ...over }));
/** A patroller's revert naming `who` the way Twinkle writes it. */
export const revertOf = (who: string, sec: number, by = 'Patroller') =>
  userEdit(by, {
    timestamp: at(sec),
    comment: `Reverted 1 edit by [[Special:Contributions/${who}|${who}]] ([[User talk:${who}|talk]]) to last revision by Goodfaith. ([[WP:TW|TW]])`,
  });
