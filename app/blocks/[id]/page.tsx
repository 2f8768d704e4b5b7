import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePage } from '@/app/_lib/actor';
import { orForbidden, segment } from '@/app/_lib/entity';
import { blockDetail } from '@/lib/blocks/queries';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

const t = messages.blockPage;
const time = (s: string | null) => (s ? `${s.slice(0, 19).replace('T', ' ')} UTC` : '—');

/** One block: its target (label only), options, whether it reached its wiki (sync status, last error), its own log. */
export default async function BlockPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePage('block.view');
  const found = await orForbidden(blockDetail(viewer, segment((await params).id)));
  if (!found) notFound();
  const { block: b, log } = found;
  return (
    <>
      <h1 className="mono" data-testid="block-title">
        {t.title(b.targetLabel, b.wiki === '*' ? 'all wikis' : b.wiki)}
      </h1>
      <p>
        <Link href="/blocks">{t.back}</Link>
      </p>
      <dl className="facts card">
        <dt>{t.state}</dt>
        <dd data-testid="block-state">{b.ended ? t.ended(b.ended.reason, time(b.ended.at), b.ended.by) : t.active(time(b.expiresAt))}</dd>
        <dt>{t.reason}</dt>
        <dd dir="auto">{b.reason}</dd>
        <dt>{t.by}</dt>
        <dd>
          {b.createdBy} · {time(b.createdAt)}
        </dd>
        <dt>{t.evasions}</dt>
        <dd>{b.evasions}</dd>
        <dt>{t.sync}</dt>
        <dd data-testid="block-sync-status" data-status={b.sync.status}>
          {t.syncStatus[b.sync.status as keyof typeof t.syncStatus] ?? b.sync.status}
        </dd>
        {b.sync.status !== 'none' ? (
          <>
            <dt>{t.syncError}</dt>
            <dd data-testid="block-sync-error">{b.sync.error ? t.errorText(b.sync.error) : '—'}</dd>
            <dt>{t.syncAttempts}</dt>
            <dd data-testid="block-sync-attempts">{b.sync.attempts}</dd>
            <dt>{t.syncAt}</dt>
            <dd>{time(b.sync.at)}</dd>
            <dt>{t.remoteId}</dt>
            <dd data-testid="block-remote-id">{found.remoteId ?? '—'}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t.log}</h2>
      <ol className="block-log" data-testid="block-detail-log">
        {log.map((l) => (
          <li key={l.seq}>
            {time(l.at)} · {l.actor} · <strong>{l.action}</strong>
            {l.reason ? ` — ${l.reason}` : ''}
          </li>
        ))}
      </ol>
    </>
  );
}
