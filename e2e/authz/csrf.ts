import { ENDPOINTS, isBrowserStateChanging } from '../../lib/auth/endpoints';
import type { Endpoint } from './discover';
import { probe } from './probe';
import type { Sample } from './samples';

/**
 * The CSRF sweep: every browser-facing state-changing endpoint (route handlers' POST/PUT/PATCH/DELETE and server
 * actions, from the endpoint list) requested as a signed-in victim would be by a forger — cross-site Origin,
 * no Origin, `Origin: null` — each with the JSON (or server-action) body and with a text/plain body (what a
 * cross-site HTML form posts without a preflight). Anything but 403 is a finding.
 */
export const FORGED_ORIGINS: [string, string | null][] = [
  ['cross-site', 'https://evil.example'],
  ['missing', null],
  ['null', 'null'],
];

export function csrfTargets(endpoints: Endpoint[]): Endpoint[] {
  return endpoints.filter((e) => isBrowserStateChanging(e.key));
}

export async function csrfSweep(
  targets: Endpoint[],
  o: { cookie: string; samples: Record<string, Sample>; actions: Map<string, { id: string; page: string }>; base?: string },
): Promise<string[]> {
  const findings: string[] = [];
  for (const ep of targets)
    for (const [label, origin] of FORGED_ORIGINS)
      for (const textPlain of [false, true]) {
        const got = await probe(ep, ENDPOINTS[ep.key], { cookie: o.cookie, origin, sample: o.samples[ep.key], action: o.actions.get(ep.key), textPlain, base: o.base });
        if (got.status !== 403) findings.push(`${ep.key} with ${label} Origin${textPlain ? ', text/plain body' : ''}: ${got.detail}`);
      }
  return findings;
}
