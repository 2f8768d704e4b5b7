import { describe, expect, it } from 'vitest';
import { ENDPOINTS, MACHINE_PATHS, SESSIONLESS_PATHS, isBrowserStateChanging, patternRegExp } from '@/lib/auth/endpoints';
import { discoverEndpoints, exportedNames, samplePath } from '@/e2e/authz/discover';

/**
 * The quick half of the authorization matrix (the HTTP half is e2e/api.authz-matrix.spec.ts): every endpoint
 * found in app/ has a declaration in lib/auth/endpoints.ts and every declaration still has its endpoint.
 */
describe('endpoint declarations', () => {
  const found = discoverEndpoints();

  it('cover exactly the pages, route-handler methods and server actions in app/', () => {
    const keys = new Set(found.map((e) => e.key));
    expect(found.filter((e) => !(e.key in ENDPOINTS)).map((e) => e.key), 'add these to lib/auth/endpoints.ts').toEqual([]);
    expect(Object.keys(ENDPOINTS).filter((k) => !keys.has(k)), 'remove these from lib/auth/endpoints.ts').toEqual([]);
    expect(keys).toContain('page /actors/[key]');
    expect(keys).toContain('POST /api/admin/roles');
    expect(keys).toContain('GET /api/auth/[...nextauth]');
    expect(keys).toContain('action app/steward/actions.ts#grantRoleAction');
    expect([...keys].some((k) => k.includes('_lib'))).toBe(false);
  });

  it('read exports the way Next.js does (const, function, re-export; only "use server" modules are actions)', () => {
    expect(exportedNames("export const GET = x; export async function POST() {}\nconst h = 1; export { h as DELETE };").names).toEqual(['GET', 'POST', 'DELETE']);
    expect(exportedNames("'use server';\nexport async function a() {}\nexport type T = 1;").useServer).toBe(true);
    expect(exportedNames("import 'server-only';\n'use server';").useServer).toBe(false);
  });

  it('the proxy lets only public and machine paths through without a session, and exempts only machine paths from the Origin check', () => {
    const open = (p: string) => SESSIONLESS_PATHS.some((r) => r.test(p));
    expect(open('/signin')).toBe(true);
    expect(open('/api/auth/callback/wikimedia')).toBe(true);
    expect(open('/api/ingest')).toBe(true);
    expect(open('/api/admin/roles')).toBe(false);
    expect(open('/queue')).toBe(false);
    expect(MACHINE_PATHS.some((r) => r.test('/api/ingest'))).toBe(true);
    expect(MACHINE_PATHS.some((r) => r.test('/api/admin/roles'))).toBe(false);
    expect(isBrowserStateChanging('POST /api/admin/roles')).toBe(true);
    expect(isBrowserStateChanging('POST /api/ingest')).toBe(false);
    expect(isBrowserStateChanging('GET /api/feeds')).toBe(false);
    expect(isBrowserStateChanging('action app/steward/actions.ts#grantRoleAction')).toBe(true);
  });

  it('patterns match their own paths only', () => {
    expect(patternRegExp('/api/actors/[key]').test('/api/actors/IP-1234')).toBe(true);
    expect(patternRegExp('/api/actors/[key]').test('/api/actors/a/b')).toBe(false);
    expect(patternRegExp('/api/auth/[...nextauth]').test('/api/auth/callback/x')).toBe(true);
    expect(patternRegExp('/api/health').test('/api/healthz')).toBe(false);
    expect(samplePath('/clusters/[id]')).toBe('/clusters/sample');
  });
});
