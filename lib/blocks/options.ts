import { z } from 'zod';
import { ValidationError } from '../errors';
import { ZWiki } from '../services/schemas';
import { EXPIRY_PRESETS, REASON_PRESETS } from './presets';

export { EXPIRY_PRESETS, REASON_PRESETS };

/**
 * Block options, after MediaWiki's API:Block: expiry, a mandatory reason (a preset and/or text), partial
 * blocks (pages, namespaces), anon-only, account-creation block, autoblock, and scope (one wiki, or "*" for
 * all wikis: stewards only). Validation errors name the field, never echo the value.
 */

/** Temporary accounts expire after 90 days (MediaWiki's $wgAutoCreateTempUser expireAfterDays default). */
export const TEMP_ACCOUNT_MAX_BLOCK_DAYS = 90;
/** MediaWiki's limits: 10 pages and 10 namespaces per partial block. */
export const PARTIAL_MAX = 10;

const DURATION = /^(\d{1,4})\s*(minute|hour|day|week|month|year)s?$/i;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** "indefinite" / "infinite" / "never" → null; "N unit(s)" → now + N units; an ISO time in the future. */
export function parseExpiry(text: string, now: Date): Date | null {
  const s = text.trim().toLowerCase();
  if (['indefinite', 'infinite', 'infinity', 'never'].includes(s)) return null;
  const m = DURATION.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n < 1) throw new ValidationError('expiry: must be at least 1', { expiry: 'must be at least 1' });
    return new Date(now.getTime() + n * UNIT_MS[m[2]!.toLowerCase()]!);
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const d = new Date(text.trim());
    if (!Number.isNaN(d.getTime())) {
      if (d.getTime() <= now.getTime()) throw new ValidationError('expiry: must be in the future', { expiry: 'must be in the future' });
      return d;
    }
  }
  throw new ValidationError('expiry: use a duration such as "31 hours" or "2 weeks", "indefinite", or a future date', {
    expiry: 'not a duration, "indefinite" or a date',
  });
}

/**
 * The documented rule for temporary accounts: a temporary account lives at most 90 days, so its block expires
 * at most 90 days from now; "indefinite" on a temporary account means those 90 days.
 */
export function effectiveExpiry(targetType: string, expiry: Date | null, now: Date): Date | null {
  if (targetType !== 'account') return expiry;
  const cap = new Date(now.getTime() + TEMP_ACCOUNT_MAX_BLOCK_DAYS * 86_400_000);
  return expiry === null || expiry > cap ? cap : expiry;
}

const ZTitle = z.string().trim().min(1, 'must not be empty').max(255, 'is too long');

export const ZBlockOptions = z.object({
  wiki: ZWiki,
  expiry: z.string().trim().min(1, 'is required').max(40, 'is too long'),
  reasonPreset: z.enum(REASON_PRESETS).optional(),
  reasonText: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  /** partial block: only these pages and/or namespaces (empty both: sitewide) */
  pages: z.array(ZTitle).max(PARTIAL_MAX, `at most ${PARTIAL_MAX} pages`).default([]),
  namespaces: z.array(z.number().int().min(0).max(10_000)).max(PARTIAL_MAX, `at most ${PARTIAL_MAX} namespaces`).default([]),
  /** IP and range blocks: block anonymous and temporary-account edits only (MediaWiki's anononly) */
  anonOnly: z.boolean().default(false),
  /** prevent account creation (MediaWiki's nocreate) */
  noCreate: z.boolean().default(true),
  /** account blocks: also block the last address used and addresses they try (MediaWiki's autoblock) */
  autoblock: z.boolean().default(true),
});
export type TBlockOptions = z.input<typeof ZBlockOptions>;
export type BlockOptions = z.output<typeof ZBlockOptions>;

/** The mandatory reason: "Preset: text", the preset alone, or the text alone; neither is refused. */
export function blockReason(o: { reasonPreset?: string; reasonText?: string }): string {
  const text = o.reasonText?.trim() ?? '';
  if (!o.reasonPreset && !text) throw new ValidationError('reason: choose a reason or write one', { reason: 'is required' });
  return o.reasonPreset && text ? `${o.reasonPreset}: ${text}` : (o.reasonPreset ?? text);
}

/** The stored shape of the options (what the block row and the audit row keep). */
export function optionColumns(o: BlockOptions, targetType: string) {
  const ip = targetType !== 'account';
  return {
    partialPages: [...new Set(o.pages)],
    partialNamespaces: [...new Set(o.namespaces)].sort((a, b) => a - b),
    anonOnly: ip ? o.anonOnly : false,
    noCreate: o.noCreate,
    // MediaWiki autoblocks only for account blocks (an IP block has nothing further to follow)
    autoblock: ip ? false : o.autoblock,
  };
}
