import 'server-only';
import { randomUUID } from 'node:crypto';
import { NextResponse } from 'next/server';
import type { UserActor } from '@/lib/auth/actors';
import type { RequestMeta } from '@/lib/audit/chain';
import { AppError, SecondFactorRequiredError, ValidationError } from '@/lib/errors';
import { log } from '@/lib/log';
import { currentSession } from './actor';
import { sameOrigin } from './origin';

export interface RouteContext {
  actor: UserActor;
  request: RequestMeta;
}

function errorResponse(status: number, code: string, message: string, extra?: object) {
  return NextResponse.json({ error: { code, message, ...extra } }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * Wraps a JSON route handler: Origin check for state-changing methods, authentication (401 when signed
 * out; 403 second_factor_required while a second factor is pending), JSON body parsing, and one mapping
 * from domain errors to HTTP (403 for forbidden and step_up_required, never 401).
 * `segment` is the route's second argument (`{ params }` of dynamic routes).
 */
export function jsonRoute<S = unknown>(fn: (req: Request, ctx: RouteContext, body: unknown, segment: S) => Promise<unknown>) {
  return async (req: Request, segment: S): Promise<Response> => {
    const requestId = randomUUID();
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req.headers))
        return errorResponse(403, 'bad_origin', 'Cross-site or origin-less request refused.');
      const session = await currentSession();
      if (!session) return errorResponse(401, 'unauthenticated', 'Sign in first.');
      if (session.pending) throw new SecondFactorRequiredError();
      const actor = session.actor;
      let body: unknown = undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (!(req.headers.get('content-type') ?? '').startsWith('application/json'))
          return errorResponse(415, 'unsupported_media_type', 'Send a JSON body (Content-Type: application/json).');
        try {
          body = await req.json();
        } catch {
          return errorResponse(400, 'invalid_json', 'The request body is not valid JSON.');
        }
      }
      const ua = req.headers.get('user-agent')?.slice(0, 200);
      const result = await fn(req, { actor, request: { via: 'api', requestId, userAgent: ua } }, body, segment);
      // a handler may answer with a response of its own (a redirect)
      if (result instanceof Response) return result;
      return NextResponse.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      if (err instanceof ValidationError) return errorResponse(400, err.code, err.message, { fields: err.fields });
      if (err instanceof AppError) return errorResponse(err.status, err.code, err.message);
      log().error({ err, requestId }, 'route handler failed');
      return errorResponse(500, 'internal', `Something went wrong (request ${requestId}).`);
    }
  };
}
