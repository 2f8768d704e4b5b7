import { requirePage } from '@/app/_lib/actor';
import { VerifyNowForm } from '@/components/steward/VerifyNowForm';
import { checkpointOverview, lastVerification } from '@/lib/audit/queries';
import { messages } from '@/lib/messages';
import { verifyNowAction } from './actions';

/** The audit chain's status: the last recorded verification, "Verify now", and the checkpoints. Stewards. */
export default async function AuditChainPage() {
  const actor = await requirePage('audit.verify', '*');
  const [last, cps] = await Promise.all([lastVerification(actor), checkpointOverview(actor)]);
  const t = messages.auditChain;
  return (
    <>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>

      <h2>{t.lastVerification}</h2>
      <div className="card">
        {!last ? (
          <p data-testid="last-verification">{t.never}</p>
        ) : (
          <div data-testid="last-verification" className={last.ok ? 'status-ok' : 'status-bad'}>
            <p>{last.ok ? t.intact(last.rows, last.checkpoints, last.lastCheckpointSeq) : t.broken(last.problems[0]?.message ?? '')}</p>
            {!last.ok && last.problems.length > 1 ? (
              <ul data-testid="verification-problems">
                {last.problems.slice(1).map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            ) : null}
            {last.problemCount > last.problems.length ? <p>{t.more(last.problemCount - last.problems.length)}</p> : null}
          </div>
        )}
        {last ? <p data-testid="last-verification-by">{t.by(last.by, last.at.slice(0, 19).replace('T', ' '))}</p> : null}
        <VerifyNowForm action={verifyNowAction} />
      </div>

      <h2>{t.checkpoints}</h2>
      <p>{t.schedule(cps.config.rows, cps.config.minutes, cps.config.actions.join(', '))}</p>
      {cps.config.witness ? <p>{t.witness}</p> : null}
      <p data-testid="checkpoint-window">{t.window(cps.uncovered, cps.latest[0]?.seq ?? null)}</p>
      {cps.latest.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table aria-label={t.checkpoints}>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">When (UTC)</th>
              <th scope="col">Key</th>
            </tr>
          </thead>
          <tbody>
            {cps.latest.map((c) => (
              <tr key={c.seq}>
                <td>{c.seq}</td>
                <td>{c.createdAt.slice(0, 19).replace('T', ' ')}</td>
                <td className="mono">{c.keyId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>{t.publicKey}</summary>
        {cps.publicKeyPem ? <pre className="mono">{cps.publicKeyPem}</pre> : <p>{t.noKey}</p>}
      </details>
    </>
  );
}
