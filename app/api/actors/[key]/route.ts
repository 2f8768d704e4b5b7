import { segment } from '@/app/_lib/entity';
import { jsonRoute } from '@/app/_lib/route';
import { actorView } from '@/lib/actors/queries';
import { NotFoundError } from '@/lib/errors';

/** GET /api/actors/[key]: one actor by pseudonym key or account name (queue.view on its wikis). */
export const GET = jsonRoute<{ params: Promise<{ key: string }> }>(async (_req, { actor }, _body, { params }) => {
  const v = await actorView(actor, segment((await params).key));
  if (!v) throw new NotFoundError('No actor is stored under this key.');
  return v;
});
