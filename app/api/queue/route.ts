import { jsonRoute } from '@/app/_lib/route';
import { parseFilters } from '@/lib/edits/filters';
import { queueCursor, queueEdits } from '@/lib/edits/queue';

/**
 * GET /api/queue?wiki=…&ns=…&score=…&anon=1&unreviewed=1&cluster=1&q=…: the queue's first page for those filters
 * (the same parameters as the /queue page's URL), newest first, masked rows only; `cursor` is where
 * GET /api/queue/stream?after= continues. Needs queue.view (on the wiki, when one is named).
 */
export const GET = jsonRoute(async (req, { actor }) => {
  const filters = parseFilters(new URL(req.url).searchParams);
  const [cursor, rows] = await Promise.all([queueCursor(actor), queueEdits(actor, filters)]);
  return { cursor, rows };
});
