import { NextResponse } from 'next/server';
import { currentActor } from '@/app/_lib/actor';
import { canOnAnyWiki } from '@/lib/auth/permissions';
import { openQueueStream } from '@/lib/edits/live';

export const dynamic = 'force-dynamic';

/**
 * GET: the live queue as server-sent events (lib/edits/live.ts), for the signed-in user's wikis (queue.view).
 * Read-only. Resumes after Last-Event-ID (or ?after=<edit id> on the first connection).
 */
export async function GET(req: Request): Promise<Response> {
  const actor = await currentActor();
  const noStore = { 'Cache-Control': 'no-store' };
  if (!actor) return NextResponse.json({ error: { code: 'unauthenticated', message: 'Sign in first.' } }, { status: 401, headers: noStore });
  if (!canOnAnyWiki(actor, 'queue.view'))
    return NextResponse.json({ error: { code: 'forbidden', message: 'You do not have permission to do this.' } }, { status: 403, headers: noStore });
  const stream = openQueueStream(actor, {
    lastEventId: req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after'),
    signal: req.signal,
    recheck: currentActor,
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    },
  });
}
