import { requireAccountPage } from '@/app/_lib/actor';
import { CodeForm } from '@/components/account/CodeForm';
import { TotpEnrolment, TotpManage } from '@/components/account/TotpEnrolment';
import { messages } from '@/lib/messages';
import { ownSecondFactor } from '@/lib/users/queries';
import { beginEnrolmentAction, confirmEnrolmentAction, disableTotpAction, regenerateRecoveryAction, verifyCodeAction } from '../actions';

/**
 * Every signed-in user's second-factor page; the only page an account with a pending second factor can
 * reach (checkusers and stewards without TOTP are sent here after sign-in).
 */
export default async function SecurityPage() {
  const session = await requireAccountPage();
  const t = messages.account;
  if (session.pending === 'verify')
    return (
      <div className="signin card">
        <h1>{t.title}</h1>
        <p>{t.verifyFirst}</p>
        <CodeForm action={verifyCodeAction} mode="verify" callbackUrl="/" label={messages.signIn.code} submit={messages.stepUp.submit} />
      </div>
    );
  const state = await ownSecondFactor(session.actor);
  const enrolledAt = session.totpEnrolled && state.enrolledAt ? state.enrolledAt.slice(0, 16).replace('T', ' ') : null;
  return (
    <>
      <h1>{t.title}</h1>
      <p data-testid="totp-status">
        {enrolledAt ? `${t.enrolled(enrolledAt)} ${t.codesLeft(state.recoveryCodesLeft)}` : t.notEnrolled}
      </p>
      {session.pending === 'enrol' ? (
        <p role="status" className="notice">
          {t.required}
        </p>
      ) : null}
      <TotpEnrolment enrolled={session.totpEnrolled} begin={beginEnrolmentAction} confirm={confirmEnrolmentAction} />
      {session.totpEnrolled ? (
        <TotpManage canDisable={!session.totpRequired} regenerate={regenerateRecoveryAction} disable={disableTotpAction} />
      ) : null}
    </>
  );
}
