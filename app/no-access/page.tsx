import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentSession } from '@/app/_lib/actor';
import { oauthConfig } from '@/lib/auth/oauth-config';
import { messages } from '@/lib/messages';

/**
 * "No access": a signed-in account without any role, or a wiki sign-in that was refused (no mapped group,
 * disabled account, or the wiki did not answer; no session was created then, so this page is public).
 */
export default async function NoAccess({ searchParams }: { searchParams: Promise<{ from?: string; reason?: string }> }) {
  const session = await currentSession();
  const { from, reason } = await searchParams;
  const t = messages.noAccess;
  if (session)
    return (
      <div className="card">
        <h1>{t.title}</h1>
        <p>{t.body}</p>
      </div>
    );
  if (from !== 'wiki') redirect('/signin');
  const cfg = oauthConfig();
  const groups = Object.entries(cfg?.groupMap ?? {})
    .map(([g, r]) => `${g} → ${r}`)
    .join(', ');
  const text = reason === 'disabled' ? t.wikiDisabled : reason === 'unavailable' ? t.wikiUnavailable : t.wikiNoRole(groups);
  return (
    <div className="card">
      <h1>{t.wikiTitle}</h1>
      <p data-testid="no-access-reason">{text}</p>
      <Link href="/signin">{t.back}</Link>
    </div>
  );
}
