import type { Metadata } from 'next';
import Link from 'next/link';
import { currentSession } from '@/app/_lib/actor';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { ContextAttribution } from '@/components/context/NetContextSection';
import { can, canOnAnyWiki } from '@/lib/auth/permissions';
import { messages } from '@/lib/messages';
import './globals.css';

export const metadata: Metadata = { title: messages.appName, description: messages.tagline };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  const actor = session?.actor ?? null;
  // a session that still has to enrol or verify its second factor sees no navigation
  const nav = session && !session.pending ? session.actor : null;
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/" className="brand">
            {messages.appName}
          </Link>
          {actor ? (
            <>
              <nav aria-label="Main">
                {canOnAnyWiki(nav, 'queue.view') ? <Link href="/overview">{messages.nav.overview}</Link> : null}
                {canOnAnyWiki(nav, 'queue.view') ? <Link href="/queue">{messages.nav.queue}</Link> : null}
                {canOnAnyWiki(nav, 'queue.view') ? <Link href="/clusters">{messages.nav.clusters}</Link> : null}
                {canOnAnyWiki(nav, 'queue.view') ? <Link href="/feeds">{messages.nav.feeds}</Link> : null}
                {canOnAnyWiki(nav, 'block.view') ? <Link href="/blocks">{messages.nav.blocks}</Link> : null}
                {canOnAnyWiki(nav, 'ip.reveal') ? <Link href="/checkuser">{messages.nav.checkuser}</Link> : null}
                {can(nav, 'user.view', '*') ? <Link href="/steward">{messages.nav.steward}</Link> : null}
                {can(nav, 'reveal.manage', '*') ? <Link href="/steward/reveals">{messages.nav.reveals}</Link> : null}
                {nav ? <Link href="/account/security">{messages.account.nav}</Link> : null}
              </nav>
              <span className="who" data-testid="whoami">
                {actor.username} · {actor.roles.map((r) => (r.wiki === '*' ? r.role : `${r.role}@${r.wiki}`)).join(', ') || 'no role'}
              </span>
              <SignOutButton label={messages.signOut} />
            </>
          ) : null}
        </header>
        <main>{children}</main>
        <footer className="attribution">
          <ContextAttribution />
        </footer>
      </body>
    </html>
  );
}
