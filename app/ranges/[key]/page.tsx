import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePage } from '@/app/_lib/actor';
import { RevealRequestLink } from '@/components/reveal/RevealRequestLink';
import { orForbidden, segment } from '@/app/_lib/entity';
import { BarsChart } from '@/components/charts/BarsChart';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { TimelineChart } from '@/components/charts/TimelineChart';
import { EditsTable } from '@/components/entities/EditsTable';
import { NetContextSection } from '@/components/context/NetContextSection';
import { rangeHref, showCount } from '@/lib/entities/common';
import { messages } from '@/lib/messages';
import { rangeView } from '@/lib/ranges/queries';

export const dynamic = 'force-dynamic';

export default async function RangePage({ params }: { params: Promise<{ key: string }> }) {
  const viewer = await requirePage('queue.view');
  const v = await orForbidden(rangeView(viewer, segment((await params).key)));
  if (!v) notFound();
  const t = messages.range;
  return (
    <>
      <h1 className="mono" data-testid="range-title">
        {t.title(v.display)}
      </h1>
      <RevealRequestLink viewer={viewer} type="range" id={v.key} />
      <dl className="facts card">
        <dt>Prefix</dt>
        <dd>
          IPv{v.family} /{v.prefix} <span className="factor">{t.networkNote}</span>
        </dd>
        <dt>{t.wider}</dt>
        <dd>
          {v.wider.length === 0 ? (
            <span className="empty">{t.noWider}</span>
          ) : (
            v.wider.map((w, i) => (
              <span key={w.key}>
                {i ? ', ' : ''}
                <Link href={rangeHref(w.key)} className="mono" data-testid="wider-range">
                  {w.display}
                </Link>
              </span>
            ))
          )}
        </dd>
        <dt>Wikis</dt>
        <dd>{v.wikis.join(', ')}</dd>
        <dt>Edits</dt>
        <dd>
          {v.editCount.toLocaleString('en')}
          {v.editCountCapped ? '+' : ''}
        </dd>
        <dt>Actors</dt>
        <dd data-testid="actor-count">{showCount(v.actorCount)}</dd>
      </dl>
      {v.editCount > v.windowEdits ? <p className="empty">{messages.entity.windowNote(v.windowEdits)}</p> : null}
      <div className="grid2">
        <ChartFrame title={`${t.activity} (per ${v.timeline.unit})`} summary={`${v.windowEdits} edits in ${v.timeline.points.length} ${v.timeline.unit} bins.`}>
          <TimelineChart data={v.timeline.points} unit={v.timeline.unit} />
        </ChartFrame>
        <ChartFrame title={messages.actor.scores} summary={v.scores.map((b) => `${b.from.toFixed(1)}: ${b.edits}`).join(', ')}>
          <BarsChart data={v.scores.map((b) => ({ label: b.from.toFixed(1), value: b.edits }))} />
        </ChartFrame>
      </div>

      <NetContextSection net={v.net} />

      <h2>{t.actors}</h2>
      <p className="empty" data-testid="count-rule">
        {v.exactCounts ? t.countsExact : t.countsBucketed}
      </p>
      <div className="table-wrap">
        <table aria-label={t.actors}>
          <thead>
            <tr>
              <th scope="col">Actor</th>
              <th scope="col">Kind</th>
              <th scope="col">Edits</th>
              <th scope="col">Last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {v.actors.map((a) => (
              <tr key={a.href} data-testid="range-actor">
                <td dir="auto" className={a.kind === 'ip' ? 'mono' : undefined}>
                  <Link href={a.href}>{a.display}</Link>
                </td>
                <td>{a.kind}</td>
                <td data-testid="range-actor-edits">{showCount(a.edits)}</td>
                <td className="nowrap">{a.lastSeen.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t.edits}</h2>
      <EditsTable edits={v.recent} label={t.edits} />

      <section className="card" aria-labelledby="blocks-h">
        <h2 id="blocks-h">{t.blocks}</h2>
        <p>
          {t.blocksNote} <Link href="/blocks">{messages.blocks.title}</Link>
        </p>
      </section>
    </>
  );
}
