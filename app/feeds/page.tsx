import { requirePage } from '@/app/_lib/actor';
import { feedStatus } from '@/lib/ingest/status';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

export default async function FeedsPage() {
  const actor = await requirePage('queue.view');
  const feeds = await feedStatus(actor);
  const t = messages.feeds;
  return (
    <>
      <h1>{t.title}</h1>
      {feeds.length === 0 ? (
        <div className="card empty">{t.empty}</div>
      ) : (
        <table aria-label={t.title}>
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col">Events stored</th>
              <th scope="col">Events/s (last minute)</th>
              <th scope="col">Lag</th>
              <th scope="col">Dead letters</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.feed}>
                <td className="mono">{f.feed}</td>
                <td>{f.eventsTotal.toLocaleString('en-US')}</td>
                <td>{f.ratePerSecond ?? '—'}</td>
                <td>{f.lagSeconds === null ? '—' : `${f.lagSeconds} s`}</td>
                <td>{f.deadTotal.toLocaleString('en-US')}</td>
                <td>{f.lastError ? `${f.lastError} (${f.lastErrorAt?.slice(0, 19).replace('T', ' ')})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
