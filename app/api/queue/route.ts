import { jsonRoute } from '@/app/_lib/route';
import { parseFilters } from '@/lib/edits/filters';
import { QUEUE_PAGE, queueCursor, queueEdits } from '@/lib/edits/queue';
import { ValidationError } from '@/lib/errors';

/** Rows per answer unless ?limit= asks for more (up to the queue page, QUEUE_PAGE). */
const API_QUEUE_DEFAULT_LIMIT = 100;

/**
 * GET /api/queue?wiki=…&ns=…&score=…&anon=1&unreviewed=1&cluster=1&hosting=1&country=XX&q=…[&limit=N]: the queue's newest edits for
 * those filters (the same parameters as the /queue page's URL), masked rows only, 100 unless `limit` says
 * otherwise (1–500); `cursor` is where GET /api/queue/stream?after= continues. Needs queue.view (on the wiki,
 * when one is named).
 */
export const GET = jsonRoute(async (req, { actor }) => {
  const params = new URL(req.url).searchParams;
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? API_QUEUE_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > QUEUE_PAGE)
    throw new ValidationError(`limit must be a whole number from 1 to ${QUEUE_PAGE}.`, { limit: 'out of range' });
  const filters = parseFilters(params);
  const [cursor, rows] = await Promise.all([queueCursor(actor), queueEdits(actor, filters, { limit })]);
  return { cursor, rows };
});
