import Link from 'next/link';
import { requirePage } from '@/app/_lib/actor';
import { listClusters } from '@/lib/clusters/queries';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

export default async function ClustersPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const actor = await requirePage('queue.view');
  const all = (await searchParams).status === 'all';
  const clusters = await listClusters(actor, { status: all ? 'all' : 'active' });
  const t = messages.clusters;
  return (
    <>
      <h1>{t.title}</h1>
      <p className="empty">
        {t.note} <Link href={all ? '/clusters' : '/clusters?status=all'}>{all ? t.showActive : t.showAll}</Link>
      </p>
      {clusters.length === 0 ? (
        <div className="card empty">{t.empty}</div>
      ) : (
        <table aria-label={t.title}>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">Heat</th>
              <th scope="col">Why</th>
              <th scope="col">Members</th>
              <th scope="col">Edits</th>
              <th scope="col">Active (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.id} id={`c-${c.id}`} data-testid="cluster-row">
                <td className="mono nowrap">
                  <Link href={`/clusters/${c.id}`} data-testid="cluster-link">
                    {c.label}
                  </Link>
                  <div className="factor">
                    {c.wikis.join(', ')} · {c.status}
                  </div>
                </td>
                <td>{c.heat.toFixed(1)}</td>
                <td>
                  <ul className="reasons">
                    {c.reasons.map((r, i) => (
                      <li key={i} dir="auto">
                        {r}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <span className="badges">
                    {c.members.slice(0, 12).map((m) => (
                      <span key={m.display} className="badge mono" dir="auto" title={`${m.edits} edit(s)`}>
                        {m.display}
                      </span>
                    ))}
                    {c.memberCount > 12 ? <span className="badge">+{c.memberCount - 12}</span> : null}
                  </span>
                </td>
                <td>{c.editCount}</td>
                <td className="nowrap">
                  {c.firstSeen.slice(11, 16)}–{c.lastSeen.slice(11, 16)}
                  <div className="factor">{c.lastSeen.slice(0, 10)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
