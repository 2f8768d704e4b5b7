import { PERMISSIONS, type Permission, type RoleName } from './permissions';

/**
 * Every endpoint of the app and who may reach it — one line each. The authorization-matrix test
 * (e2e/api.authz-matrix.spec.ts) lists the real endpoints from the filesystem (app/**\/page.tsx,
 * app/**\/route.ts per exported HTTP method, the exported server actions of app/**\/actions.ts), fails for
 * an endpoint missing here and for a line here whose endpoint no longer exists, and checks every line over
 * HTTP for anonymous, patroller, admin, checkuser, steward and a disabled user. The request proxy (proxy.ts)
 * reads the public and machine lines from here too.
 *
 * Keys:
 *   'page /actors/[key]'                             a page (route groups dropped, dynamic segments as written)
 *   'POST /api/admin/roles'                          a route handler's exported method
 *   'action app/steward/actions.ts#grantRoleAction'  an exported server action (file#export)
 * Policies:
 *   PUBLIC              anyone, signed in or not
 *   SIGNED_IN           any signed-in account that has passed its second factor (no role needed)
 *   ACCOUNT             any signed-in account, also one that must still enrol or verify its second factor
 *   perm('x')           the permission x of lib/auth/permissions.ts on at least one wiki
 *   perm('x', '*')      the permission x globally
 *   MACHINE             not browser-facing: authenticated by a request signature, never by a session
 * Optional `path` gives the concrete URL to request when the pattern has dynamic segments that need a
 * particular value (the test otherwise puts "sample" in each [segment]).
 */
export type Policy =
  | { kind: 'public'; path?: string }
  | { kind: 'signed-in'; path?: string }
  | { kind: 'account'; path?: string }
  | { kind: 'permission'; permission: Permission; scope: 'any' | '*'; path?: string }
  | { kind: 'machine'; path?: string };

export const PUBLIC: Policy = { kind: 'public' };
export const SIGNED_IN: Policy = { kind: 'signed-in' };
export const ACCOUNT: Policy = { kind: 'account' };
export const MACHINE: Policy = { kind: 'machine' };
export function perm(permission: Permission, scope: 'any' | '*' = 'any'): Policy {
  return { kind: 'permission', permission, scope };
}
function at(policy: Policy, path: string): Policy {
  return { ...policy, path };
}

export const ENDPOINTS: Record<string, Policy> = {
  // pages
  'page /': SIGNED_IN,
  'page /signin': PUBLIC,
  // public for a refused wiki sign-in (no session exists then); signed-out visitors without ?from=wiki go to /signin
  'page /no-access': at(PUBLIC, '/no-access?from=wiki'),
  'page /account/security': ACCOUNT,
  'page /account/step-up': SIGNED_IN,
  'page /overview': perm('queue.view'),
  'page /queue': perm('queue.view'),
  'page /clusters': perm('queue.view'),
  'page /clusters/[id]': perm('queue.view'),
  'page /actors/[key]': perm('queue.view'),
  'page /ranges/[key]': perm('queue.view'),
  'page /feeds': perm('queue.view'),
  'page /blocks': perm('block.view'),
  'page /blocks/[id]': perm('block.view'),
  // reveal holders and approvers: checkusers and stewards; also an admin holding a steward's individual reveal
  // grant (data the matrix personas do not have)
  'page /checkuser': perm('reveal.approve'),
  'page /steward': perm('user.view', '*'),
  'page /steward/audit': perm('audit.verify', '*'),
  'page /steward/reveals': perm('reveal.manage', '*'),

  // route handlers
  'GET /api/health': PUBLIC,
  'GET /api/auth/[...nextauth]': at(PUBLIC, '/api/auth/session'),
  'POST /api/auth/[...nextauth]': at(PUBLIC, '/api/auth/callback/credentials'),
  'POST /api/ingest': MACHINE,
  'GET /api/overview': perm('queue.view'),
  'GET /api/feeds': perm('queue.view'),
  'GET /api/actors/[key]': perm('queue.view'),
  'GET /api/ranges/[key]': perm('queue.view'),
  'GET /api/clusters/[id]': perm('queue.view'),
  'GET /api/queue': perm('queue.view'),
  'GET /api/queue/stream': perm('queue.view'),
  'POST /api/queue/review': perm('edit.review'),
  'POST /api/queue/hide': perm('queue.view'),
  'DELETE /api/queue/hide': perm('queue.view'),
  'POST /api/queue/whitelist': perm('whitelist.manage'),
  'DELETE /api/queue/whitelist': perm('whitelist.manage'),
  'GET /api/blocks': perm('block.view'),
  'GET /api/blocks/choices': at(perm('block.manage'), '/api/blocks/choices?actor=authz-probe'),
  // global blocks (wiki "*") need block.global on top (stewards): checked in the verbs
  'POST /api/blocks': perm('block.manage'),
  'POST /api/blocks/mass': perm('block.manage'),
  'POST /api/blocks/preview': perm('block.manage'),
  'PATCH /api/blocks/[id]': at(perm('block.manage'), '/api/blocks/00000000-0000-4000-8000-000000000000'),
  'DELETE /api/blocks/[id]': at(perm('block.manage'), '/api/blocks/00000000-0000-4000-8000-000000000000'),
  'GET /api/audit': perm('audit.view', '*'),
  'POST /api/audit/verify': perm('audit.verify', '*'),
  // a checkuser without an agreement on record gets past the permission check to a 403 no_agreement
  'POST /api/reveal': perm('ip.reveal'),
  'POST /api/reveal/export': perm('reveal.manage', '*'),
  'GET /api/admin/users': perm('user.view', '*'),
  'POST /api/admin/users': perm('user.manage', '*'),
  'POST /api/admin/users/status': perm('user.manage', '*'),
  'POST /api/admin/sessions': perm('user.manage', '*'),
  'POST /api/admin/roles': perm('role.manage', '*'),
  'DELETE /api/admin/roles': perm('role.manage', '*'),
  'POST /api/admin/totp': perm('user.manage', '*'),

  // server actions
  'action app/account/actions.ts#beginEnrolmentAction': ACCOUNT,
  'action app/account/actions.ts#confirmEnrolmentAction': ACCOUNT,
  'action app/account/actions.ts#verifyCodeAction': ACCOUNT,
  'action app/account/actions.ts#regenerateRecoveryAction': SIGNED_IN,
  'action app/account/actions.ts#disableTotpAction': SIGNED_IN,
  'action app/steward/actions.ts#createUserAction': perm('user.manage', '*'),
  'action app/steward/actions.ts#grantRoleAction': perm('role.manage', '*'),
  'action app/steward/actions.ts#endSessionsAction': perm('user.manage', '*'),
  'action app/steward/actions.ts#setDisabledAction': perm('user.manage', '*'),
  'action app/steward/actions.ts#resetTotpAction': perm('user.manage', '*'),
  'action app/steward/audit/actions.ts#verifyNowAction': perm('audit.verify', '*'),
  'action app/steward/reveals/actions.ts#recordAgreementAction': perm('reveal.manage', '*'),
  'action app/steward/reveals/actions.ts#grantRevealAction': perm('reveal.manage', '*'),
  'action app/steward/reveals/actions.ts#suspendRevealAction': perm('reveal.manage', '*'),
  'action app/steward/reveals/actions.ts#reviewRevealAction': perm('reveal.manage', '*'),
  'action app/checkuser/actions.ts#acknowledgeAction': perm('ip.reveal'),
  'action app/checkuser/actions.ts#requestRevealAction': perm('ip.reveal'),
  'action app/checkuser/actions.ts#decideRequestAction': perm('reveal.approve'),
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The method of a route-handler key ('POST /api/x' → 'POST'), 'page' or 'action'. */
export function endpointKind(key: string): string {
  return key.slice(0, key.indexOf(' '));
}

/** Browser-facing and state-changing: a route handler's POST/PUT/PATCH/DELETE or a server action, not MACHINE. */
export function isBrowserStateChanging(key: string): boolean {
  const kind = endpointKind(key);
  return (kind === 'action' || STATE_CHANGING.has(kind)) && ENDPOINTS[key]?.kind !== 'machine';
}

/** A route pattern ('/api/actors/[key]') as a regular expression over request paths. */
export function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => {
      if (/^\[\.\.\.[^\]]+\]$/.test(seg)) return '.+';
      if (/^\[\[\.\.\.[^\]]+\]\]$/.test(seg)) return '.*';
      if (/^\[[^\]]+\]$/.test(seg)) return '[^/]+';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}$`);
}

function pathsWith(kinds: Policy['kind'][]): RegExp[] {
  const out: RegExp[] = [];
  for (const [key, policy] of Object.entries(ENDPOINTS)) {
    if (!kinds.includes(policy.kind) || endpointKind(key) === 'action') continue;
    out.push(patternRegExp(key.slice(key.indexOf(' ') + 1)));
  }
  return out;
}

/** Paths the proxy lets through without a session (public pages and handlers, machine endpoints). */
export const SESSIONLESS_PATHS: readonly RegExp[] = pathsWith(['public', 'machine']);
/** Paths of machine endpoints: no Origin check (they are authenticated by signature instead). */
export const MACHINE_PATHS: readonly RegExp[] = pathsWith(['machine']);

/** Who a policy lets through (the matrix test's expectations): anyone, any signed-in account, these roles, or no session at all (machine). */
export function rolesAllowed(policy: Policy): readonly RoleName[] | 'anyone' | 'signed-in' | 'none' {
  switch (policy.kind) {
    case 'public':
      return 'anyone';
    case 'signed-in':
    case 'account':
      return 'signed-in';
    case 'permission':
      return PERMISSIONS[policy.permission];
    case 'machine':
      return 'none';
  }
}
