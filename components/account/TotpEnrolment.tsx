'use client';
import { useActionState } from 'react';
import type { ActionState } from '@/app/_lib/action';
import { messages } from '@/lib/messages';

type Act<T = unknown> = (prev: ActionState, form: FormData) => Promise<ActionState<T>>;
type Codes = { recoveryCodes: string[]; next: string };
const t = messages.account;
const idle = { status: 'idle' } as ActionState;

function Problem({ state }: { state: ActionState<unknown> }) {
  if (state.status !== 'error') return null;
  return (
    <p role="alert" className="error">
      {state.message}
      {state.stepUp ? (
        <>
          {' '}
          <a href="/account/step-up?callbackUrl=%2Faccount%2Fsecurity">{messages.stepUp.prompt}</a>
        </>
      ) : null}
    </p>
  );
}

/** The recovery codes, shown once (they live only in this component's state). */
export function RecoveryCodes({ recoveryCodes, next }: Codes) {
  return (
    <div className="card" data-testid="recovery-codes">
      <h2>{t.recoveryTitle}</h2>
      <p>{t.recoveryNote}</p>
      <ul className="mono">
        {recoveryCodes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {/* a full navigation: the refreshed session applies to every server component */}
      <a href={next} className="button">
        {t.continue}
      </a>
    </div>
  );
}

/** Set up (or set up again): start → QR code and key → confirm with a code → recovery codes once. */
export function TotpEnrolment({ enrolled, begin, confirm }: { enrolled: boolean; begin: Act<{ qr: string; secret: string }>; confirm: Act<Codes> }) {
  const [started, startAction, starting] = useActionState(begin, idle as ActionState<{ qr: string; secret: string }>);
  const [confirmed, confirmAction, confirming] = useActionState(confirm, idle as ActionState<Codes>);
  if (confirmed.status === 'ok' && confirmed.data) return <RecoveryCodes {...confirmed.data} />;
  const pending = started.status === 'ok' ? started.data : undefined;
  return (
    <>
      <form action={startAction}>
        <button type="submit" className={pending || enrolled ? 'secondary' : undefined} disabled={starting}>
          {enrolled ? t.restart : t.start}
        </button>
      </form>
      <Problem state={started} />
      {pending ? (
        <div className="card">
          <p>{t.scan}</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
          <img src={pending.qr} alt={t.qrAlt} width={220} height={220} data-testid="totp-qr" />
          <p>
            {t.manualKey}: <code data-testid="totp-secret">{pending.secret}</code>
          </p>
          <form action={confirmAction} aria-label={t.confirm}>
            <label>
              {t.codeLabel}
              <input name="code" autoComplete="one-time-code" inputMode="numeric" required maxLength={16} />
            </label>
            <button type="submit" disabled={confirming}>
              {t.confirm}
            </button>
          </form>
          <Problem state={confirmed} />
        </div>
      ) : null}
    </>
  );
}

/** For an enrolled account: new recovery codes, and turning TOTP off where the role allows it. */
export function TotpManage({ canDisable, regenerate, disable }: { canDisable: boolean; regenerate: Act<Codes>; disable: Act }) {
  const [codes, regenAction, regenerating] = useActionState(regenerate, idle as ActionState<Codes>);
  const [off, disableAction, disabling] = useActionState(disable, idle);
  if (codes.status === 'ok' && codes.data) return <RecoveryCodes {...codes.data} />;
  if (off.status === 'ok')
    return (
      <p role="status">
        {off.message} <a href="/account/security">{t.continue}</a>
      </p>
    );
  return (
    <div className="badges">
      <form action={regenAction}>
        <button type="submit" className="secondary" disabled={regenerating}>
          {t.regenerate}
        </button>
      </form>
      {canDisable ? (
        <form action={disableAction}>
          <button type="submit" className="secondary" disabled={disabling}>
            {t.disable}
          </button>
        </form>
      ) : null}
      <Problem state={codes} />
      <Problem state={off} />
    </div>
  );
}
