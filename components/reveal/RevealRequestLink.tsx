import Link from 'next/link';
import type { Actor } from '@/lib/auth/permissions';
import { messages } from '@/lib/messages';
import { revealOffer } from '@/lib/reveal/queries';

/** On range and cluster pages, for eligible holders: a link to file a bulk reveal request (needs approval). */
export async function RevealRequestLink({ viewer, type, id }: { viewer: Actor; type: 'range' | 'cluster'; id: string }) {
  if (!(await revealOffer(viewer))) return null;
  return (
    <p>
      <Link href={`/checkuser?type=${type}&key=${encodeURIComponent(id)}#request`} data-testid="reveal-request-link">
        {messages.reveal.requestTitle}
      </Link>{' '}
      <span className="sub">{messages.reveal.requestNote}</span>
    </p>
  );
}
