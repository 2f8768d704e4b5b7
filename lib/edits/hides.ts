import { authorize, type Actor } from '../auth/permissions';
import { db } from '../db/client';
import { NotFoundError, ValidationError } from '../errors';

/**
 * A patroller's own "hide this edit from my queue": a personal view preference, seen by nobody else, so not a
 * privileged verb and not audited (ARCHITECTURE.md). Still authorized: queue.view on the edit's wiki.
 */
export async function setEditHidden(actor: Actor, editId: string, hidden: boolean): Promise<{ editId: string; hidden: boolean }> {
  if (actor.kind !== 'user') throw new ValidationError('Hiding is per signed-in user.');
  if (!/^\d{1,19}$/.test(editId)) throw new ValidationError('Invalid input (editId: must be an edit id)', { editId: 'must be an edit id' });
  const id = BigInt(editId);
  const edit = await db().edit.findUnique({ where: { id }, select: { wiki: true } });
  if (!edit) throw new NotFoundError('No such edit.');
  authorize(actor, 'queue.view', edit.wiki);
  if (hidden) await db().editHide.createMany({ data: [{ userId: actor.id, editId: id }], skipDuplicates: true });
  else await db().editHide.deleteMany({ where: { userId: actor.id, editId: id } });
  return { editId, hidden };
}
