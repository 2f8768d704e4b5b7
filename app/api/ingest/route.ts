import { NextResponse } from 'next/server';
import { handleIngest } from '@/lib/ingest/endpoint';

export const dynamic = 'force-dynamic';

/**
 * POST: a trusted producer's signed batch of edits (docs/ingest-endpoint.md). Authenticated by its
 * HMAC signature, not a session: exempt from the Origin check and from the sign-in proxy (proxy.ts).
 */
export async function POST(req: Request): Promise<Response> {
  const r = await handleIngest({ headers: req.headers, body: req.body });
  return NextResponse.json(r.body, { status: r.status, headers: { 'Cache-Control': 'no-store' } });
}
