import { GLOBAL, highestRank, rankOn, type Actor, type RoleName } from '../auth/permissions';
import type { Tx } from '../db/client';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';

/**
 * The account a steward verb acts on, inside the verb's transaction: it must exist, and the acting user must
 * not be outranked by it (Mastodon's rule). `self`: a message refusing the verb on one's own account, or
 * 'allowed' (acting on oneself is fine and skips the outranking check).
 */
export async function loadTargetUser(tx: Tx, actor: Actor, userId: string, self: string | 'allowed') {
  const user = await tx.user.findUnique({ where: { id: userId }, include: { roles: true } });
  if (!user) throw new NotFoundError('No such user.');
  const isSelf = actor.kind === 'user' && actor.id === user.id;
  if (isSelf && self !== 'allowed') throw new ValidationError(self);
  if (!isSelf && highestRank(user.roles.map((r) => ({ role: r.role as RoleName, wiki: r.wiki }))) > rankOn(actor, GLOBAL))
    throw new ForbiddenError('You cannot act on someone who outranks you.');
  return user;
}
