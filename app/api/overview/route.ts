import { jsonRoute } from '@/app/_lib/route';
import { overview } from '@/lib/overview/queries';

/** GET /api/overview: the last hour on the wikis the caller patrols (queue.view). */
export const GET = jsonRoute(async (_req, { actor }) => overview(actor));
