import { ENDPOINTS } from '../../lib/auth/endpoints';
import { samplePath, type Endpoint } from './discover';

/**
 * Every readable URL of the app, generated from its endpoints (discover.ts, checked against lib/auth/endpoints.ts
 * by the matrix): each page and each GET route handler, machine endpoints and event streams aside, with every
 * dynamic segment filled with each of the given values, looked up by the segment and its parent
 * ("actors/[key]" serves /actors/[key] and /api/actors/[key]) — real ids and pseudonyms, so the crawl reaches
 * pages that show data, not only 404s. A segment without values gets the declaration's path or "sample".
 */
export const STREAMS = new Set(['GET /api/queue/stream']);

export function readableUrls(endpoints: Endpoint[], fill: Record<string, string[]>, extra: string[] = []): string[] {
  const out = new Set<string>();
  for (const ep of endpoints) {
    const policy = ENDPOINTS[ep.key];
    if (ep.method !== 'GET' || policy?.kind === 'machine' || STREAMS.has(ep.key)) continue;
    const dyn = /([^/]+)\/(\[[^\]]+\])/.exec(ep.pattern);
    const values = dyn ? fill[`${dyn[1]}/${dyn[2]}`] ?? [] : [];
    if (!dyn || values.length === 0) out.add(samplePath(ep.pattern, policy?.path));
    else for (const v of values) out.add(ep.pattern.replace(dyn[2]!, encodeURIComponent(v)));
  }
  for (const u of extra) out.add(u);
  return [...out].sort();
}
