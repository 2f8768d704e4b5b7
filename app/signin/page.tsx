import { redirect } from 'next/navigation';
import { currentSession } from '@/app/_lib/actor';
import { SignInForm } from '@/components/auth/SignInForm';
import { messages } from '@/lib/messages';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentSession()) redirect('/');
  const { callbackUrl } = await searchParams;
  // only same-site paths: never an open redirect
  const target = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  return (
    <div className="signin card">
      <h1>{messages.signIn.title}</h1>
      <SignInForm text={messages.signIn} callbackUrl={target} />
    </div>
  );
}
