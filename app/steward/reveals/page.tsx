import Link from 'next/link';
import { requirePage } from '@/app/_lib/actor';
import { decideRequestAction } from '@/app/checkuser/actions';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { RevealsPerDayChart } from '@/components/charts/RevealsPerDayChart';
import { ActionForm } from '@/components/reveal/ActionForm';
import { ExportButtons } from '@/components/reveal/ExportButtons';
import { HoldersTable } from '@/components/reveal/HoldersTable';
import { messages } from '@/lib/messages';
import { revealConfig } from '@/lib/reveal/config';
import { cleanFilters, pendingApprovals, refusedAttempts, revealAnomalies, revealHolders, revealTrail, revealsPerDay, type TrailFilters } from '@/lib/reveal/queries';
import { grantRevealAction, recordAgreementAction, reviewRevealAction, suspendRevealAction } from './actions';

export const dynamic = 'force-dynamic';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const FILTERS = ['holder', 'target', 'category', 'from', 'to'] as const;

/** Stewards' oversight of reveals: trail, chart, anomalies, approvals, refusals, holders, review, export. */
export default async function StewardRevealsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage('reveal.manage', '*');
  const sp = await searchParams;
  const raw: TrailFilters = {};
  for (const k of FILTERS) if (typeof sp[k] === 'string' && sp[k]) raw[k] = sp[k] as string;
  const filters = cleanFilters(raw);
  const cfg = revealConfig();
  const [trail, perDay, flags, pending, refused, holders] = await Promise.all([
    revealTrail(actor, filters),
    revealsPerDay(actor),
    revealAnomalies(actor),
    pendingApprovals(actor),
    refusedAttempts(actor),
    revealHolders(actor),
  ]);
  const t = messages.reveal.steward;
  return (
    <>
      <h1>{t.title}</h1>
      <p>
        <Link href="/steward">← Steward console</Link>
      </p>

      <ChartFrame title={t.perDay} summary={`${perDay.total} reveals by ${perDay.holders.length} holder(s) in the last 30 days.`}>
        <RevealsPerDayChart points={perDay.points} holders={perDay.holders} />
      </ChartFrame>

      <section className="card" aria-labelledby="anomalies-h" data-testid="anomalies">
        <h2 id="anomalies-h">{t.anomalies}</h2>
        <p className="sub">{messages.reveal.steward.anomalyRule(cfg.anomaly.medianFactor, cfg.anomaly.peerPercentile)}</p>
        {flags.length === 0 ? (
          <p className="empty">{t.noAnomalies}</p>
        ) : (
          <ul className="plain">
            {flags.map((f) => (
              <li key={f.holderId} className="error">
                <strong>{f.holderName}</strong>: {f.last24h} reveals in 24 h (own daily median {f.median}
                {f.peerThreshold !== null ? `, peers' ${cfg.anomaly.peerPercentile}th percentile ${f.peerThreshold}` : ''}) —{' '}
                {f.reasons.map((r) => (r === 'self' ? 'above own median' : 'above peers')).join(', ')}
              </li>
            ))}
          </ul>
        )}
      </section>

      <h2>{t.pending}</h2>
      {pending.length === 0 ? <p className="empty">{t.noPending}</p> : null}
      {pending.map((r) => (
        <div key={r.id} className="card" data-testid="approval">
          <p>
            <strong>{r.requesterName}</strong>:{' '}
            <span className="mono">
              {r.targetType} {r.targetLabel}
            </span>{' '}
            — {r.reasonCategory}: <span dir="auto">{r.reasonText}</span> · expires {when(r.expiresAt)} UTC
          </p>
          <ActionForm action={decideRequestAction} label={`Approve request of ${r.requesterName}`} submit="Approve" hidden={{ requestId: r.id, approve: 'true' }} callback="/steward/reveals" />
          <ActionForm action={decideRequestAction} label={`Deny request of ${r.requesterName}`} submit="Deny" hidden={{ requestId: r.id, approve: 'false' }} callback="/steward/reveals" />
        </div>
      ))}

      <h2>{t.trail}</h2>
      <form method="get" className="inline" aria-label="Filter the reveal trail">
        <label>
          Checkuser
          <input name="holder" defaultValue={filters.holder ?? ''} maxLength={64} size={12} />
        </label>
        <label>
          Target
          <input name="target" defaultValue={filters.target ?? ''} maxLength={200} size={14} />
        </label>
        <label>
          Category
          <select name="category" defaultValue={filters.category ?? ''}>
            <option value="">any</option>
            {cfg.categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input name="from" type="date" defaultValue={filters.from ?? ''} />
        </label>
        <label>
          To
          <input name="to" type="date" defaultValue={filters.to ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ExportButtons filters={filters as Record<string, string>} />
      <div className="table-wrap">
        <table aria-label={t.trail} data-testid="reveal-trail">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Checkuser</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
              <th scope="col">Addresses</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {trail.map((r) => (
              <tr key={r.id} data-testid="reveal-row">
                <td>{when(r.createdAt)}</td>
                <td dir="auto">{r.holderName}</td>
                <td className="mono">
                  {r.targetType} {r.targetLabel}
                  {r.bulk ? ' (approved bulk)' : ''}
                </td>
                <td dir="auto">
                  <strong>{r.reasonCategory}</strong>: {r.reasonText}
                  {r.caseRef ? ` · case ${r.caseRef}` : ''}
                </td>
                <td>{r.ipCount}</td>
                <td>
                  {r.reviewOutcome ? (
                    <p>
                      <strong>{r.reviewOutcome}</strong> ({r.reviewedByName}){r.reviewNote ? `: ${r.reviewNote}` : ''}
                    </p>
                  ) : null}
                  <ActionForm action={reviewRevealAction} label={`Review reveal ${r.id.slice(0, 8)}`} submit="Save review" hidden={{ revealId: r.id }} callback="/steward/reveals">
                    <select name="outcome" defaultValue={r.reviewOutcome ?? 'fine'} aria-label="Outcome">
                      <option value="fine">fine</option>
                      <option value="concern">concern</option>
                    </select>
                    <input name="note" maxLength={500} placeholder="note" aria-label="Review note" size={12} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t.refused}</h2>
      <table aria-label={t.refused} data-testid="refused-attempts">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Target</th>
            <th scope="col">Refusal</th>
          </tr>
        </thead>
        <tbody>
          {refused.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{when(r.createdAt)}</td>
              <td dir="auto">{r.actorName}</td>
              <td className="mono">{r.target}</td>
              <td className="mono">{r.refusal}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t.holders}</h2>
      <HoldersTable holders={holders} self={actor.id} actions={{ agreement: recordAgreementAction, grant: grantRevealAction, suspend: suspendRevealAction }} />
    </>
  );
}
