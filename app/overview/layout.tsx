import { requirePage } from '@/app/_lib/actor';

/**
 * The permission check for this page, above its loading.tsx: a page with a loading state streams a 200
 * before the page itself runs, so the sign-in redirect (307) and the 403 must happen here, before streaming.
 */
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requirePage('queue.view');
  return children;
}
