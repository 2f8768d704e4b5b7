import Link from 'next/link';
import { requirePage } from '@/app/_lib/actor';
import { BarsChart } from '@/components/charts/BarsChart';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { WikiRateChart } from '@/components/charts/WikiRateChart';
import { NotBuilt } from '@/components/entities/EditsTable';
import { clusterHref } from '@/lib/entities/common';
import { messages } from '@/lib/messages';
import { overview } from '@/lib/overview/queries';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const viewer = await requirePage('queue.view');
  const o = await overview(viewer);
  const t = messages.overview;
  return (
    <>
      <h1>{t.title}</h1>
      {o.editsLastHour === 0 ? <div className="card empty">{t.empty}</div> : null}
      <div className="grid2">
        <ChartFrame title={t.rate} summary={`${o.editsLastHour} edits in the last hour on ${o.wikis.join(', ') || 'no wiki'}.`}>
          <WikiRateChart data={o.perMinute} wikis={o.wikis} />
        </ChartFrame>
        <ChartFrame title={t.scores} summary={o.scores.map((b) => `${b.from.toFixed(1)}: ${b.edits}`).join(', ')}>
          <BarsChart data={o.scores.map((b) => ({ label: b.from.toFixed(1), value: b.edits }))} />
        </ChartFrame>
      </div>
      <section className="card" aria-labelledby="hot-h">
        <h2 id="hot-h">{t.hottest}</h2>
        {o.hottest.length === 0 ? (
          <p className="empty">{t.noClusters}</p>
        ) : (
          <ul className="plain">
            {o.hottest.map((c) => (
              <li key={c.id} data-testid="hot-cluster">
                <Link href={clusterHref(c.id)} className="mono">
                  {c.label}
                </Link>{' '}
                · heat {c.heat.toFixed(1)} · {c.memberCount} members · {c.wikis.join(', ')}
                <div className="sub" dir="auto">
                  {c.reasons.slice(0, 2).join(' · ')}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <NotBuilt title={t.blocks} step={7} testId="blocks-not-built" />
    </>
  );
}
