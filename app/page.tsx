import { redirect } from 'next/navigation';
import { currentActor } from '@/app/_lib/actor';
import { landingPath } from '@/lib/auth/permissions';

/** Each role lands on its own page. */
export default async function Home() {
  const actor = await currentActor();
  redirect(actor ? landingPath(actor) : '/signin');
}
