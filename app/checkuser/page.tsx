import { requirePage } from '@/app/_lib/actor';
import { ActionForm } from '@/components/reveal/ActionForm';
import { RevealPanel } from '@/components/reveal/RevealPanel';
import { canOnAnyWiki } from '@/lib/auth/permissions';
import { messages } from '@/lib/messages';
import { revealConfig } from '@/lib/reveal/config';
import { myRevealStatus } from '@/lib/reveal/queries';
import { forbidden } from 'next/navigation';
import { acknowledgeAction, decideRequestAction, requestRevealAction } from './actions';

export const dynamic = 'force-dynamic';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** The holder's page: agreement status, recent reveals, range/cluster requests, and approvals waiting for them. */
export default async function CheckuserPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage();
  const approver = canOnAnyWiki(actor, 'reveal.approve');
  const me = await myRevealStatus(actor);
  if (!me || (!me.eligible && !approver && !me.agreement && !me.suspended)) forbidden();
  const cfg = revealConfig();
  const sp = await searchParams;
  const preType = sp.type === 'cluster' ? 'cluster' : 'range';
  const preKey = typeof sp.key === 'string' ? sp.key.slice(0, 200) : '';
  const t = messages.reveal;
  return (
    <>
      <h1>{messages.checkuser.title}</h1>
      <p className="sub">{messages.checkuser.body}</p>

      <section className="card" aria-labelledby="agreement-h" data-testid="agreement-status">
        <h2 id="agreement-h">Access agreement</h2>
        {me.suspended ? <p className="error">{t.suspended}</p> : null}
        {!me.agreement ? (
          <p>{t.agreementMissing}</p>
        ) : me.acknowledgedAt ? (
          <p>{t.acknowledged(me.agreement.version, when(me.acknowledgedAt))}</p>
        ) : (
          <>
            <p>
              Signed access agreement version <strong>{me.agreement.version}</strong> (signed {me.agreement.signedOn}) is on record.
            </p>
            <ActionForm action={acknowledgeAction} label="Acknowledge the access agreement" submit="Acknowledge" hidden={{ version: me.agreement.version }} callback="/checkuser">
              <label>
                <input type="checkbox" name="accept" required /> {t.acknowledge(me.agreement.version)}
              </label>
            </ActionForm>
          </>
        )}
      </section>

      <h2>Your recent reveals</h2>
      {me.reveals.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <table aria-label="Your recent reveals">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Target</th>
              <th scope="col">Category</th>
              <th scope="col">Addresses</th>
            </tr>
          </thead>
          <tbody>
            {me.reveals.map((r) => (
              <tr key={r.id}>
                <td>{when(r.createdAt)}</td>
                <td className="mono">
                  {r.targetType} {r.targetLabel}
                </td>
                <td>{r.reasonCategory}</td>
                <td>{r.ipCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Your range and cluster requests</h2>
      <p className="sub">{t.requestNote}</p>
      {me.requests.map((r) => (
        <div key={r.id} className="card" data-testid="my-request">
          <p>
            <span className="mono">
              {r.targetType} {r.targetLabel}
            </span>{' '}
            · {r.status} · expires {when(r.expiresAt)} UTC{r.decidedByName ? ` · decided by ${r.decidedByName}` : ''}
          </p>
          {r.status === 'approved' && me.eligible ? (
            <RevealPanel target={{ type: r.targetType as 'range' | 'cluster', key: r.targetKey }} categories={[]} displaySeconds={cfg.displaySeconds} requestId={r.id} compact />
          ) : null}
        </div>
      ))}
      {me.eligible ? (
        <div className="card" id="request">
          <h3>{t.requestTitle}</h3>
          <ActionForm action={requestRevealAction} label={t.requestTitle} submit="Request" callback="/checkuser">
            <label>
              Type
              <select name="targetType" defaultValue={preType}>
                <option value="range">range</option>
                <option value="cluster">cluster</option>
              </select>
            </label>
            <label>
              Range key or cluster id
              <input name="targetKey" required maxLength={200} defaultValue={preKey} />
            </label>
            <label>
              {t.category}
              <select name="category" required defaultValue="">
                <option value="" disabled>
                  —
                </option>
                {cfg.categories.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              {t.reason}
              <input name="reason" required minLength={20} maxLength={1000} size={40} />
            </label>
            <label>
              {t.caseRef}
              <input name="caseRef" maxLength={120} />
            </label>
          </ActionForm>
        </div>
      ) : null}

      {approver ? (
        <>
          <h2>{t.steward.pending}</h2>
          {me.approvals.length === 0 ? <p className="empty">{t.steward.noPending}</p> : null}
          {me.approvals.map((r) => (
            <div key={r.id} className="card" data-testid="approval">
              <p>
                <strong>{r.requesterName}</strong> asks to reveal every address of{' '}
                <span className="mono">
                  {r.targetType} {r.targetLabel}
                </span>{' '}
                — {r.reasonCategory}: <span dir="auto">{r.reasonText}</span>
                {r.caseRef ? ` (case ${r.caseRef})` : ''} · expires {when(r.expiresAt)} UTC
              </p>
              <ActionForm action={decideRequestAction} label={`Approve request of ${r.requesterName}`} submit="Approve" hidden={{ requestId: r.id, approve: 'true' }} callback="/checkuser">
                <input name="note" placeholder="Note (optional)" maxLength={500} aria-label="Note" />
              </ActionForm>
              <ActionForm action={decideRequestAction} label={`Deny request of ${r.requesterName}`} submit="Deny" hidden={{ requestId: r.id, approve: 'false' }} callback="/checkuser" />
            </div>
          ))}
        </>
      ) : null}
    </>
  );
}
