import { jsonRoute } from '@/app/_lib/route';
import { setEditHidden } from '@/lib/edits/hides';
import { ValidationError } from '@/lib/errors';

function editId(body: unknown): string {
  const id = (body as { editId?: unknown } | null)?.editId;
  if (typeof id !== 'string') throw new ValidationError('Invalid input (editId: must be an edit id)', { editId: 'must be an edit id' });
  return id;
}

/** POST { editId }: hide an edit from my own queue (queue.view on its wiki; personal, not audited). */
export const POST = jsonRoute(async (_req, ctx, body) => setEditHidden(ctx.actor, editId(body), true));

/** DELETE { editId }: show it again. */
export const DELETE = jsonRoute(async (_req, ctx, body) => setEditHidden(ctx.actor, editId(body), false));
