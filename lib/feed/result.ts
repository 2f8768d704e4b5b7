import type { z } from 'zod';
import type { RawEdit, SourceKind } from './types';

/**
 * What every parser returns. A failure's `reason` names fields and rules only — never a field's value
 * (values may hold raw IPs). `ignore: true` marks input that is valid but deliberately dropped
 * (EventStreams canary events): adapters skip those instead of dead-lettering them.
 */
export type ParseResult = { ok: true; edit: RawEdit } | { ok: false; reason: string; ignore?: boolean };

/** A rejected input. It carries no raw content (which could hold IPs), only where it came from and why. */
export interface DeadLetter {
  source: SourceKind;
  reason: string;
  /** size of the rejected input in bytes (or characters when only a string was available) */
  size: number;
}

/**
 * The unit every adapter yields. `cursor` is the position to persist together with the stored events
 * (an SSE event id, an Action API rccontinue, a replay line number); resuming from it continues after
 * this item. A `checkpoint` only moves the cursor (events were filtered out or dropped).
 */
export type FeedItem =
  | { kind: 'edit'; edit: RawEdit; cursor: string | null }
  | { kind: 'dead-letter'; deadLetter: DeadLetter; cursor: string | null }
  | { kind: 'checkpoint'; cursor: string };

export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

const CODE_WORDS: Record<string, string> = {
  invalid_type: 'has the wrong type or is missing',
  too_big: 'is too long or too large',
  too_small: 'is too short or too small',
  invalid_format: 'has an invalid format',
  invalid_value: 'has an unexpected value',
  not_multiple_of: 'has an invalid value',
  unrecognized_keys: 'has unexpected keys',
  invalid_union: 'matches none of the accepted shapes',
  invalid_key: 'has an invalid key',
  invalid_element: 'has an invalid element',
  custom: 'is invalid',
};

/**
 * Turn a zod error into a value-free reason: "field `length.old` has the wrong type or is missing".
 * Built from issue paths and codes only; zod messages are not used (some could quote input).
 */
export function zodReason(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    // safePath applies to input-derived paths only (it would turn the "(root)" label into "?root?")
    const path = issue.path.length ? safePath(issue.path.map(String).join('.')) : '(root)';
    const words = issue.code === 'custom' && issue.message.startsWith('!') ? issue.message.slice(1) : CODE_WORDS[issue.code];
    return `field \`${path}\` ${words ?? 'is invalid'}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}

/** Paths come from our schemas, but record keys could come from input: keep them short and plain. */
function safePath(path: string): string {
  const plain = path.replace(/[^A-Za-z0-9_.$-]/g, '?');
  return plain.length > 80 ? `${plain.slice(0, 80)}…` : plain;
}
