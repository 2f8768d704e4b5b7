import { requirePage } from '@/app/_lib/actor';
import { QueueTable } from '@/components/tables/queue/QueueTable';
import { parseFilters } from '@/lib/edits/filters';
import { queueCursor, queueEdits, queueWikis } from '@/lib/edits/queue';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

/**
 * The live patrol queue: the server renders the first page for the filters in the URL (authorized by the
 * query), then components/tables/queue keeps it live over GET /api/queue/stream.
 */
export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage('queue.view');
  const filters = parseFilters(await searchParams);
  const [cursor, rows, wikis] = await Promise.all([queueCursor(actor), queueEdits(actor, filters), queueWikis(actor)]);
  const t = messages.queue;
  return (
    <>
      <h1>{t.title}</h1>
      <p className="empty">{t.note}</p>
      <QueueTable initialRows={rows} cursor={cursor} filters={filters} wikis={wikis} />
    </>
  );
}
