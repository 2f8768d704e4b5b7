import type { Metadata } from 'next';
import Link from 'next/link';
import { currentActor } from '@/app/_lib/actor';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { can, canOnAnyWiki } from '@/lib/auth/permissions';
import { messages } from '@/lib/messages';
import './globals.css';

export const metadata: Metadata = { title: messages.appName, description: messages.tagline };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
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
                {canOnAnyWiki(actor, 'queue.view') ? <Link href="/overview">{messages.nav.overview}</Link> : null}
                {canOnAnyWiki(actor, 'queue.view') ? <Link href="/queue">{messages.nav.queue}</Link> : null}
                {canOnAnyWiki(actor, 'queue.view') ? <Link href="/clusters">{messages.nav.clusters}</Link> : null}
                {canOnAnyWiki(actor, 'queue.view') ? <Link href="/feeds">{messages.nav.feeds}</Link> : null}
                {canOnAnyWiki(actor, 'block.view') ? <Link href="/blocks">{messages.nav.blocks}</Link> : null}
                {canOnAnyWiki(actor, 'ip.reveal') ? <Link href="/checkuser">{messages.nav.checkuser}</Link> : null}
                {can(actor, 'user.view', '*') ? <Link href="/steward">{messages.nav.steward}</Link> : null}
              </nav>
              <span className="who" data-testid="whoami">
                {actor.username} · {actor.roles.map((r) => (r.wiki === '*' ? r.role : `${r.role}@${r.wiki}`)).join(', ') || 'no role'}
              </span>
              <SignOutButton label={messages.signOut} />
            </>
          ) : null}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
