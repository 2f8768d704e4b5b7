'use client';
import Link from 'next/link';
import { messages } from '@/lib/messages';

/** Any page that fails to load: say so, offer a retry and a way back (no error details: they stay in the log). */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card" role="alert" data-testid="page-error">
      <h1>{messages.entity.errorTitle}</h1>
      <p>{messages.entity.errorBody}</p>
      <p>
        <button type="button" onClick={() => reset()}>
          {messages.entity.retry}
        </button>{' '}
        <Link href="/queue">{messages.entity.backToQueue}</Link>
      </p>
    </div>
  );
}
