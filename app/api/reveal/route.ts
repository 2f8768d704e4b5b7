import { markSecondFactorVerified } from '@/app/_lib/session';
import { jsonRoute } from '@/app/_lib/route';
import { revealIp, type RevealInput } from '@/lib/services/reveal';

/**
 * POST { target: { type: 'actor' | 'range' | 'cluster', key }, category, reason, caseRef?, requestId?, code? }:
 * the gated IP reveal (lib/services/reveal.ts). The address travels in this response body only (never a URL);
 * the response is Cache-Control: no-store (jsonRoute). A refusal is 4xx with its code, and audited.
 */
export const POST = jsonRoute(async (req, ctx, body) => {
  const input = (body && typeof body === 'object' ? body : {}) as RevealInput;
  const r = await revealIp(ctx, input, {
    clientAddress: req.headers.get('x-maskpatrol-client'),
    onStepUp: () => markSecondFactorVerified({ stepUp: true }),
  });
  return { reveal: r };
});
