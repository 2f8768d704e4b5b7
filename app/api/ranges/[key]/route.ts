import { segment } from '@/app/_lib/entity';
import { jsonRoute } from '@/app/_lib/route';
import { NotFoundError } from '@/lib/errors';
import { rangeView } from '@/lib/ranges/queries';

/** GET /api/ranges/[key]: one range pseudonym (queue.view; exact actor counts need range.exactCounts). */
export const GET = jsonRoute<{ params: Promise<{ key: string }> }>(async (_req, { actor }, _body, { params }) => {
  const v = await rangeView(actor, segment((await params).key));
  if (!v) throw new NotFoundError('No range is stored under this key.');
  return v;
});
