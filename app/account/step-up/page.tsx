import { requirePage } from '@/app/_lib/actor';
import { CodeForm } from '@/components/account/CodeForm';
import { messages } from '@/lib/messages';
import { verifyCodeAction } from '../actions';

/** The step-up prompt: a fresh TOTP code, verified on the server, then back to where the user was. */
export default async function StepUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  await requirePage();
  const { callbackUrl } = await searchParams;
  const target = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  const t = messages.stepUp;
  return (
    <div className="signin card">
      <h1>{t.title}</h1>
      <p>{t.body}</p>
      <CodeForm action={verifyCodeAction} mode="step-up" callbackUrl={target} label={messages.account.codeLabel} submit={t.submit} />
    </div>
  );
}
