import Link from 'next/link';
import { messages } from '@/lib/messages';

export default function NotFound() {
  return (
    <div className="card" data-testid="not-found">
      <h1>{messages.entity.notFoundTitle}</h1>
      <p>{messages.entity.notFoundBody}</p>
      <p>
        <Link href="/queue">{messages.entity.backToQueue}</Link> · <Link href="/clusters">{messages.nav.clusters}</Link> ·{' '}
        <Link href="/overview">{messages.nav.overview}</Link>
      </p>
    </div>
  );
}
