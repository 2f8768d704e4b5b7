import { requirePage } from '@/app/_lib/actor';
import { recentEdits } from '@/lib/edits/queries';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

/**
 * The newest masked edits (server-rendered). The live, sortable, keyboard-driven queue is step 6.
 */
export default async function QueuePage() {
  const actor = await requirePage('queue.view');
  const edits = await recentEdits(actor, { limit: 200 });
  const t = messages.queue;
  return (
    <>
      <h1>{t.title}</h1>
      <p className="empty">{t.note}</p>
      {edits.length === 0 ? (
        <div className="card empty">{t.empty}</div>
      ) : (
        <table aria-label={t.title}>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Wiki</th>
              <th scope="col">Page</th>
              <th scope="col">Editor</th>
              <th scope="col">Ranges</th>
              <th scope="col">Size</th>
              <th scope="col">Risk</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {edits.map((e) => (
              <tr key={e.id} data-testid="edit-row">
                <td className="nowrap">{e.ts.slice(0, 19).replace('T', ' ')}</td>
                <td>{e.wiki}</td>
                <td dir="auto">
                  {e.diffUrl ? (
                    <a href={e.diffUrl} rel="noreferrer noopener" target="_blank">
                      {e.title}
                    </a>
                  ) : (
                    e.title
                  )}
                  {e.isNew ? ' (new)' : ''}
                </td>
                <td dir="auto" className={e.actorKind === 'ip' ? 'mono' : undefined}>
                  {e.actorName}
                  {e.isBot ? ' (bot)' : ''}
                  {e.cluster ? (
                    <>
                      {' '}
                      <a href={`/clusters?status=all#c-${e.cluster.id}`} className="badge" data-testid="cluster-badge">
                        {e.cluster.label}
                      </a>
                    </>
                  ) : null}
                </td>
                <td>
                  <span className="badges">
                    {e.ranges.map((r) => (
                      <span key={r} className="badge">
                        {r}
                      </span>
                    ))}
                  </span>
                </td>
                <td>{e.sizeDelta === null ? '?' : e.sizeDelta > 0 ? `+${e.sizeDelta}` : e.sizeDelta}</td>
                <td className="nowrap" data-testid="risk">
                  {e.score === null ? (
                    '—'
                  ) : (
                    <span title={e.factors.join('\n') || t.noFactors} className={e.score >= 0.7 ? 'risk high' : e.score >= 0.4 ? 'risk mid' : 'risk'}>
                      {e.score.toFixed(2)}
                    </span>
                  )}
                  {e.factors[0] ? <div className="factor">{e.factors[0]}</div> : null}
                </td>
                <td dir="auto">{e.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
