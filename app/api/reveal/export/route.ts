import { jsonRoute } from '@/app/_lib/route';
import type { TrailFilters } from '@/lib/reveal/queries';
import { exportReveals } from '@/lib/services/reveal-export';

/**
 * POST { format: 'csv' | 'json', filters?: { holder?, target?, category?, from?, to? } }: the reveal trail as a
 * file download (stewards; audited as reveal.export). POST, not GET: the export is an audited act.
 */
export const POST = jsonRoute(async (_req, ctx, body) => {
  const b = (body && typeof body === 'object' ? body : {}) as { format?: unknown; filters?: TrailFilters };
  const f = await exportReveals(ctx, { format: b.format, filters: b.filters && typeof b.filters === 'object' ? b.filters : {} });
  return new Response(f.body, {
    headers: {
      'Content-Type': f.contentType,
      'Content-Disposition': `attachment; filename="${f.filename}"`,
      'Cache-Control': 'no-store',
    },
  });
});
