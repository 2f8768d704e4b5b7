import { loadConfig } from '../config';

/**
 * The reveal's tunables, from the environment (lib/config.ts; README "IP reveal"). Read per call, so tests
 * and the e2e server can set them.
 */
export const DEFAULT_REASON_CATEGORIES = [
  'Vandalism or long-term abuse',
  'Sockpuppetry or block evasion',
  'Harassment or threats',
  'Legal or emergency request',
  'Other (explain below)',
] as const;

/** A stated reason must be at least this long. */
export const MIN_REASON_LENGTH = 20;
/** Bulk reveals read at most this many distinct addresses (newest edit per address pseudonym). */
export const BULK_LIMIT = 500;

export interface RevealConfig {
  perHour: number;
  perDay: number;
  displaySeconds: number;
  approvalHours: number;
  categories: string[];
  anomaly: { medianFactor: number; peerPercentile: number };
}

export function revealConfig(env: Record<string, string | undefined> = process.env): RevealConfig {
  const c = loadConfig(env);
  const categories = (c.MASKPATROL_REVEAL_REASON_CATEGORIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 80);
  return {
    perHour: c.MASKPATROL_REVEAL_PER_HOUR,
    perDay: c.MASKPATROL_REVEAL_PER_DAY,
    displaySeconds: c.MASKPATROL_REVEAL_DISPLAY_SECONDS,
    approvalHours: c.MASKPATROL_REVEAL_APPROVAL_HOURS,
    categories: categories.length ? categories : [...DEFAULT_REASON_CATEGORIES],
    anomaly: { medianFactor: c.MASKPATROL_REVEAL_ANOMALY_MEDIAN_FACTOR, peerPercentile: c.MASKPATROL_REVEAL_ANOMALY_PEER_PERCENTILE },
  };
}
