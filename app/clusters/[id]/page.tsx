import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { requirePage } from '@/app/_lib/actor';
import { RevealRequestLink } from '@/components/reveal/RevealRequestLink';
import { orForbidden, segment } from '@/app/_lib/entity';
import { BarsChart } from '@/components/charts/BarsChart';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { TimelineChart } from '@/components/charts/TimelineChart';
import { EditsTable } from '@/components/entities/EditsTable';
import { NetContextSection } from '@/components/context/NetContextSection';
import { clusterView } from '@/lib/clusters/detail';
import { BlockDialog } from '@/components/blocks/BlockDialog';
import { canOnAnyWiki } from '@/lib/auth/permissions';
import { clusterHref } from '@/lib/entities/common';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePage('queue.view');
  const found = await orForbidden(clusterView(viewer, segment((await params).id)));
  if (!found) notFound();
  if (found.kind === 'merged') redirect(clusterHref(found.into));
  const c = found.cluster;
  const t = messages.cluster;
  const time = (s: string) => s.slice(0, 16).replace('T', ' ');
  return (
    <>
      <h1 className="mono" data-testid="cluster-title">
        {t.title(c.label)}
      </h1>
      <RevealRequestLink viewer={viewer} type="cluster" id={c.id} />
      <dl className="facts card">
        <dt>Status</dt>
        <dd>
          {c.status}
          {c.closedAt ? ` (closed ${time(c.closedAt)} UTC)` : ''}
        </dd>
        <dt>Wikis</dt>
        <dd>{c.wikis.join(', ')}</dd>
        <dt>Heat</dt>
        <dd>
          {c.heat.toFixed(1)} (peak {c.peakHeat.toFixed(1)})
        </dd>
        <dt>Members / edits</dt>
        <dd>
          {c.memberCount} / {c.editCount}
        </dd>
        <dt>Active (UTC)</dt>
        <dd>
          {time(c.firstSeen)} – {time(c.lastSeen)}
        </dd>
      </dl>
      <p className="notice" data-testid="block-note">
        {t.blockNote}
      </p>
      {canOnAnyWiki(viewer, 'block.manage') ? <BlockDialog of={{ clusterId: c.id }} members={c.memberCount} /> : null}

      <section className="card" aria-labelledby="reasons-h">
        <h2 id="reasons-h">{t.reasons}</h2>
        <ul className="reasons" data-testid="cluster-reasons">
          {c.reasons.map((r, i) => (
            <li key={i} dir="auto">
              {r}
            </li>
          ))}
        </ul>
        <p className="factor">
          Evidence links:{' '}
          {Object.entries(c.links)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(' · ') || 'none'}
        </p>
      </section>

      <NetContextSection net={c.net} actors={c.actorsSeen} />

      <h2>{t.members}</h2>
      <div className="table-wrap">
        <table aria-label={t.members}>
          <thead>
            <tr>
              <th scope="col">Actor</th>
              <th scope="col">Kind</th>
              <th scope="col">Edits</th>
            </tr>
          </thead>
          <tbody>
            {c.members.map((m) => (
              <tr key={m.href} data-testid="cluster-member">
                <td dir="auto" className={m.kind === 'ip' ? 'mono' : undefined}>
                  <Link href={m.href}>{m.display}</Link>
                </td>
                <td>{m.kind}</td>
                <td>{m.edits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="grid2">
        <ChartFrame title={t.timeline} summary={`${c.series.reduce((a, s) => a + s.edits, 0)} edits in ${c.series.length} bins.`}>
          <TimelineChart data={c.series} unit="minute" withScore={false} />
        </ChartFrame>
        <ChartFrame title={t.pages} summary={c.pages.map((p) => `${p.title}: ${p.edits}`).join(', ')}>
          <BarsChart data={c.pages.map((p) => ({ label: p.title, value: p.edits }))} layout="rows" height={Math.max(160, 36 * c.pages.length)} />
        </ChartFrame>
      </div>

      {c.absorbed.length ? (
        <p className="factor">
          {t.absorbed}: {c.absorbed.map((a) => a.label).join(', ')}
        </p>
      ) : null}

      <h2>{t.edits}</h2>
      <EditsTable edits={c.edits} label={t.edits} />
    </>
  );
}
