import { redirect } from 'next/navigation';
import { currentSession } from '@/app/_lib/actor';
import { SignInForm } from '@/components/auth/SignInForm';
import { WikiSignInButton } from '@/components/auth/WikiSignInButton';
import { WIKI_PROVIDER_ID } from '@/lib/auth/oauth';
import { oauthConfig } from '@/lib/auth/oauth-config';
import { messages } from '@/lib/messages';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await currentSession()) redirect('/');
  const { callbackUrl, error } = await searchParams;
  // only same-site paths: never an open redirect
  const target = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  const wiki = oauthConfig() !== null;
  // next-auth's own errors of the OAuth flow (OAuthSignin, OAuthCallback, Callback, AccessDenied, …)
  const wikiError = wiki && error !== undefined && error !== 'CredentialsSignin';
  return (
    <div className="signin card">
      <h1>{messages.signIn.title}</h1>
      {wikiError ? (
        <p role="alert" className="error">
          {messages.signIn.wikiFailed}
        </p>
      ) : null}
      {wiki ? (
        <>
          <WikiSignInButton label={messages.signIn.withWiki} providerId={WIKI_PROVIDER_ID} callbackUrl={target} />
          <p className="empty">{messages.signIn.or}</p>
        </>
      ) : null}
      <SignInForm text={messages.signIn} callbackUrl={target} />
    </div>
  );
}
