import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePage } from '@/app/_lib/actor';
import { orForbidden, segment } from '@/app/_lib/entity';
import { BarsChart } from '@/components/charts/BarsChart';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { TimelineChart } from '@/components/charts/TimelineChart';
import { EditsTable } from '@/components/entities/EditsTable';
import { NetContextSection } from '@/components/context/NetContextSection';
import { RevealPanel } from '@/components/reveal/RevealPanel';
import { actorView } from '@/lib/actors/queries';
import { BlockDialog } from '@/components/blocks/BlockDialog';
import { canOnAnyWiki } from '@/lib/auth/permissions';
import { actorHref, clusterHref, rangeHref } from '@/lib/entities/common';
import { messages } from '@/lib/messages';
import { revealOffer } from '@/lib/reveal/queries';

export const dynamic = 'force-dynamic';

const KIND = { ip: 'IP editor (pseudonym)', temp: 'temporary account', user: 'registered account' } as const;

export default async function ActorPage({ params }: { params: Promise<{ key: string }> }) {
  const viewer = await requirePage('queue.view');
  const v = await orForbidden(actorView(viewer, segment((await params).key)));
  if (!v) notFound();
  // the Reveal IP control, for eligible holders only, and only where an address was stored
  const offer = v.kind === 'ip' || v.ranges.length > 0 ? await revealOffer(viewer) : null;
  const t = messages.actor;
  const edits = v.timeline.points.reduce((a, p) => a + p.edits, 0);
  return (
    <>
      <h1 dir="auto" className={v.kind === 'ip' ? 'mono' : undefined} data-testid="actor-title">
        {t.title(v.display)}
      </h1>
      <dl className="facts card">
        <dt>Kind</dt>
        <dd>{KIND[v.kind]}</dd>
        {v.kind === 'ip' ? (
          <>
            <dt>Pseudonym key</dt>
            <dd className="mono">{v.key}</dd>
          </>
        ) : null}
        <dt>{t.epoch}</dt>
        <dd>
          <span className="mono">{v.epoch}</span> <span className="factor">{t.epochNote}</span>
        </dd>
        <dt>Wikis</dt>
        <dd>{v.wikis.join(', ')}</dd>
        <dt>Edits</dt>
        <dd>
          {v.editCount.toLocaleString('en')}
          {v.editCountCapped ? '+' : ''}
        </dd>
        <dt>Seen (UTC)</dt>
        <dd>
          {v.firstSeen?.slice(0, 16).replace('T', ' ')} – {v.lastSeen?.slice(0, 16).replace('T', ' ')}
        </dd>
      </dl>
      {offer ? <RevealPanel target={{ type: 'actor', key: v.key }} categories={offer.categories} displaySeconds={offer.displaySeconds} /> : null}
      {v.editCount > v.windowEdits ? <p className="empty">{messages.entity.windowNote(v.windowEdits)}</p> : null}
      <div className="grid2">
        <ChartFrame title={`${t.timeline} (per ${v.timeline.unit})`} summary={`${edits} edits in ${v.timeline.points.length} ${v.timeline.unit} bins.`}>
          <TimelineChart data={v.timeline.points} unit={v.timeline.unit} />
        </ChartFrame>
        <ChartFrame title={t.scores} summary={v.scores.map((b) => `${b.from.toFixed(1)}: ${b.edits}`).join(', ')}>
          <BarsChart data={v.scores.map((b) => ({ label: b.from.toFixed(1), value: b.edits }))} />
        </ChartFrame>
      </div>

      <h2>{t.risky}</h2>
      <EditsTable edits={v.risky} label={t.risky} showActor={false} />

      <div className="grid2">
        <section className="card" aria-labelledby="clusters-h">
          <h2 id="clusters-h">{t.clusters}</h2>
          {v.clusters.length === 0 ? (
            <p className="empty">{t.noClusters}</p>
          ) : (
            <ul className="plain">
              {v.clusters.map((c) => (
                <li key={c.id}>
                  <Link href={clusterHref(c.id)} className="mono">
                    {c.label}
                  </Link>{' '}
                  · {c.status} · {c.memberCount} members
                  <div className="sub" dir="auto">
                    {c.reasons.slice(0, 2).join(' · ')}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="ranges-h">
          <h2 id="ranges-h">{t.ranges}</h2>
          {v.ranges.length === 0 ? (
            <p className="empty">{t.noRanges}</p>
          ) : (
            <ul className="plain">
              {v.ranges.map((r) => (
                <li key={r.key}>
                  <Link href={rangeHref(r.key)} className="mono" data-testid="range-link">
                    {r.display}
                  </Link>{' '}
                  <span className="factor">/{r.prefix}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="related-h">
          <h2 id="related-h">{t.related}</h2>
          <p className="sub">{t.relatedNote}</p>
          {v.relatedTemp.length === 0 ? (
            <p className="empty">{t.noRelated}</p>
          ) : (
            <ul className="plain">
              {v.relatedTemp.map((r) => (
                <li key={r.name} dir="auto">
                  <Link href={actorHref(r.name)}>{r.name}</Link> <span className="factor">{r.edits} edit(s)</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <h2>{t.pages}</h2>
      <div className="table-wrap">
        <table aria-label={t.pages}>
          <thead>
            <tr>
              <th scope="col">Wiki</th>
              <th scope="col">Page</th>
              <th scope="col">Edits</th>
            </tr>
          </thead>
          <tbody>
            {v.pages.map((p) => (
              <tr key={`${p.wiki}\u0000${p.title}`}>
                <td>{p.wiki}</td>
                <td dir="auto">{p.title}</td>
                <td>{p.edits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t.recent}</h2>
      <EditsTable edits={v.recent} label={t.recent} showActor={false} />

      <div className="grid2">
        <section className="card" aria-labelledby="blocks-h" data-testid="actor-blocks">
          <h2 id="blocks-h">{t.blocks}</h2>
          <p>
            <Link href="/blocks">{messages.blocks.title}</Link>
          </p>
          {canOnAnyWiki(viewer, 'block.manage') && v.kind !== 'user' ? <BlockDialog of={{ actorKey: v.kind === 'ip' ? v.key : v.display }} /> : null}
        </section>
        <NetContextSection net={v.net} />
      </div>
    </>
  );
}
