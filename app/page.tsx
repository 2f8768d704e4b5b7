import { redirect } from 'next/navigation';
import { SECURITY_PAGE, currentSession } from '@/app/_lib/actor';
import { landingPath } from '@/lib/auth/permissions';

/** Each role lands on its own page; an account with a pending second factor on the security page. */
export default async function Home() {
  const session = await currentSession();
  if (!session) redirect('/signin');
  redirect(session.pending ? SECURITY_PAGE : landingPath(session.actor));
}
