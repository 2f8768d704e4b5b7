import { NextResponse } from 'next/server';
import { segment } from '@/app/_lib/entity';
import { jsonRoute } from '@/app/_lib/route';
import { clusterView } from '@/lib/clusters/detail';
import { NotFoundError } from '@/lib/errors';

/** GET /api/clusters/[id]: one cluster (queue.view on one of its wikis); a merged id redirects (308) to the absorbing one. */
export const GET = jsonRoute<{ params: Promise<{ id: string }> }>(async (req, { actor }, _body, { params }) => {
  const found = await clusterView(actor, segment((await params).id));
  if (!found) throw new NotFoundError('No cluster is stored under this id.');
  if (found.kind === 'merged')
    return NextResponse.redirect(new URL(`/api/clusters/${found.into}`, req.url), { status: 308, headers: { 'Cache-Control': 'no-store' } });
  return found.cluster;
});
