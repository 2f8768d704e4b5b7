import { z } from 'zod';
import { GLOBAL, ROLES } from '../auth/permissions';
import { fromZodIssues } from '../errors';

/** Shared request fragments for the verbs (schema beside its endpoint, shared pieces here). */
export const ZUsername = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'may contain letters, digits, "_", "." and "-"');

/** A wiki database name as Wikimedia spells it (enwiki, dewiktionary, commonswiki) or "*" for all. */
export const ZWiki = z
  .string()
  .trim()
  .regex(/^(\*|[a-z][a-z0-9_-]{1,63})$/, 'must be a wiki id such as "enwiki", or "*" for all wikis');

export const ZRole = z.enum(ROLES);

export const ZRoleHolding = z.object({ role: ZRole, wiki: ZWiki.default(GLOBAL) });

export const ZReason = z.string().trim().max(500, 'must be at most 500 characters').optional();

/** A verb's request, validated: the parsed value, or a ValidationError naming each bad field (never its value). */
export function parseRequest<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const p = schema.safeParse(raw);
  if (!p.success) throw fromZodIssues(p.error.issues);
  return p.data;
}

export const ZUserId = z.string().uuid('must be a user id');

/** A steward's action on one account, with the reason that goes into the audit row. */
export const ZUserActionRequest = z.object({ userId: ZUserId, reason: ZReason });
