import { NextResponse } from 'next/server';
import { health } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: database reachable, migrations applied, version. No secrets. */
export async function GET() {
  const h = await health();
  return NextResponse.json(h, { status: h.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
