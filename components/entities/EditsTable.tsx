import Link from 'next/link';
import type { EditRow } from '@/lib/edits/queries';
import { actorHref, clusterHref } from '@/lib/entities/common';
import { messages } from '@/lib/messages';

function Risk({ score }: { score: number | null }) {
  if (score === null) return <span className="empty">{messages.entity.noScore}</span>;
  return <span className={`risk ${score >= 0.7 ? 'high' : score >= 0.4 ? 'mid' : ''}`}>{score.toFixed(2)}</span>;
}

/** Edits with their scores and top factors; titles, names and summaries as text only. */
export function EditsTable({ edits, label, showActor = true }: { edits: EditRow[]; label: string; showActor?: boolean }) {
  if (edits.length === 0) return <p className="empty">{messages.entity.noEdits}</p>;
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Wiki</th>
            <th scope="col">Page</th>
            {showActor ? <th scope="col">Editor</th> : null}
            <th scope="col">Risk</th>
            <th scope="col">Summary</th>
            <th scope="col">Cluster</th>
          </tr>
        </thead>
        <tbody>
          {edits.map((e) => (
            <tr key={e.id} data-testid="entity-edit">
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
              </td>
              {showActor ? (
                <td dir="auto" className={e.actorKind === 'ip' ? 'mono' : undefined}>
                  <Link href={actorHref(e.actorRef)}>{e.actorName}</Link>
                </td>
              ) : null}
              <td>
                <Risk score={e.score} />
                {e.factors.length ? (
                  <ul className="reasons factor">
                    {e.factors.slice(0, 3).map((f, i) => (
                      <li key={i}>{f}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td dir="auto">{e.comment}</td>
              <td>{e.cluster ? <Link href={clusterHref(e.cluster.id)} className="mono">{e.cluster.label}</Link> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A section for something a later step builds: says so, shows no data. */
export function NotBuilt({ title, step, testId }: { title: string; step: number; testId?: string }) {
  return (
    <section className="card" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      <p className="empty">{messages.entity.notBuilt(step)}</p>
    </section>
  );
}

/** A loading skeleton for the entity pages (loading.tsx). */
export function EntitySkeleton({ title }: { title: string }) {
  return (
    <div aria-busy="true">
      <h1>{title}</h1>
      <p className="empty" role="status">
        {messages.entity.loading}
      </p>
      <div className="skeleton" />
      <div className="skeleton" />
    </div>
  );
}
