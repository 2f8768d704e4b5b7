import Link from 'next/link';
import { messages } from '@/lib/messages';

export default function Forbidden() {
  return (
    <div className="card" data-testid="forbidden">
      <h1>{messages.forbidden.title}</h1>
      <p>{messages.forbidden.body}</p>
      <p>
        <Link href="/">Back to your start page</Link>
      </p>
    </div>
  );
}
