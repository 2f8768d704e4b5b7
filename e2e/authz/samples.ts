/**
 * Request bodies for the authorization-matrix and forged-origin tests, for endpoints that validate their
 * input before they authorize: with a valid-looking body aimed at something that does not exist (the nil
 * uuid, a huge edit id), an allowed role gets past authorization to a 404/409, a refused role gets 403,
 * and nothing is changed. Endpoints not listed get `{}` (route handlers) or an empty form (server actions).
 * A new endpoint whose matrix test reports "got 400 where a denial was expected" needs a line here.
 */
export const NIL_UUID = '00000000-0000-4000-8000-000000000000';
const NO_EDIT = '9199999999999999999';

export interface Sample {
  /** JSON body of a route handler */
  body?: unknown;
  /** form fields of a server action (sent as the browser does: [prevState, FormData]) */
  form?: Record<string, string>;
}

const userTarget = { body: { userId: NIL_UUID, role: 'patroller', wiki: 'enwiki', disabled: true, reason: 'authz matrix probe' } };
const stewardForm = { form: { userId: NIL_UUID, role: 'patroller', wiki: 'enwiki', username: 'authz-probe', disabled: 'true', reason: 'authz matrix probe' } };

const reveal = { category: 'Vandalism or long-term abuse', reason: 'Checking a long-term abuse case here (authz matrix probe)' };

const blockOptions = { wiki: 'enwiki', expiry: '1 day', reasonText: 'authz matrix probe' };
const noActor = { type: 'actor', actorKey: 'f'.repeat(64) };

export const SAMPLES: Record<string, Sample> = {
  'POST /api/blocks': { body: { target: noActor, options: blockOptions } },
  'POST /api/blocks/mass': { body: { clusterId: 'authz-probe', options: blockOptions } },
  'POST /api/blocks/preview': { body: { target: noActor, wiki: 'enwiki' } },
  'PATCH /api/blocks/[id]': { body: { options: { expiry: '1 day', reasonText: 'authz matrix probe' } } },
  'DELETE /api/blocks/[id]': { body: { reason: 'authz matrix probe' } },
  'POST /api/admin/users': { body: { username: 'authz-probe', roles: [], reason: 'authz matrix probe' } },
  'POST /api/admin/users/status': userTarget,
  'POST /api/admin/sessions': userTarget,
  'POST /api/admin/roles': userTarget,
  'DELETE /api/admin/roles': userTarget,
  'POST /api/admin/totp': userTarget,
  'POST /api/queue/review': { body: { editId: NO_EDIT } },
  'POST /api/queue/hide': { body: { editId: NO_EDIT } },
  'DELETE /api/queue/hide': { body: { editId: NO_EDIT } },
  'POST /api/queue/whitelist': { body: { editId: NO_EDIT } },
  'DELETE /api/queue/whitelist': { body: { wiki: 'enwiki', actorKey: 'authz-probe-nobody' } },
  'action app/steward/actions.ts#createUserAction': stewardForm,
  'action app/steward/actions.ts#grantRoleAction': stewardForm,
  'action app/steward/actions.ts#endSessionsAction': stewardForm,
  'action app/steward/actions.ts#setDisabledAction': stewardForm,
  'action app/steward/actions.ts#resetTotpAction': stewardForm,
  // a well-formed target that does not exist: the permission check comes first (patroller → no_permission);
  // a checkuser without an agreement on record is refused on data (no_agreement), after the permission check
  'POST /api/reveal': { body: { target: { type: 'actor', key: 'f'.repeat(64) }, ...reveal } },
  'POST /api/reveal/export': { body: { format: 'json', filters: { holder: NIL_UUID } } },
  'action app/checkuser/actions.ts#requestRevealAction': { form: { targetType: 'range', targetKey: 'f'.repeat(64), ...reveal } },
  'action app/checkuser/actions.ts#decideRequestAction': { form: { requestId: NIL_UUID, approve: 'true', note: 'authz matrix probe' } },
  'action app/checkuser/actions.ts#acknowledgeAction': { form: { version: 'authz-probe', accept: 'on' } },
  'action app/steward/reveals/actions.ts#recordAgreementAction': { form: { userId: NIL_UUID, version: 'authz-probe', signedOn: '2026-01-01', reason: 'authz matrix probe' } },
  'action app/steward/reveals/actions.ts#grantRevealAction': { form: { userId: NIL_UUID, grant: 'true', wiki: '*', reason: 'authz matrix probe' } },
  'action app/steward/reveals/actions.ts#suspendRevealAction': { form: { userId: NIL_UUID, suspend: 'true', note: 'authz matrix probe' } },
  'action app/steward/reveals/actions.ts#reviewRevealAction': { form: { revealId: NIL_UUID, outcome: 'fine', note: 'authz matrix probe' } },
  'action app/account/actions.ts#verifyCodeAction': { form: { mode: 'step-up', code: '000000', callbackUrl: '/' } },
  'action app/account/actions.ts#confirmEnrolmentAction': { form: { code: '000000' } },
};

/**
 * Bodies aimed at things that DO exist (a real victim account, a real edit), for the CSRF sweep: were the Origin
 * check off, these would change state (disable the victim, end its sessions, make it a steward, review and
 * whitelist the edit, block the editor, create an account) — so "nothing changed" afterwards means something.
 */
export function liveSamples(victim: { id: string; username: string }, editId: string): Record<string, Sample> {
  const reason = 'csrf sweep: must never happen';
  const userBody = { userId: victim.id, role: 'steward', wiki: '*', disabled: true, reason };
  const userForm = { userId: victim.id, role: 'steward', wiki: '*', username: `csrf-${victim.username}`, disabled: 'true', reason };
  return {
    ...SAMPLES,
    'POST /api/admin/users': { body: { username: `csrf-${victim.username}`, roles: [], reason } },
    'POST /api/admin/users/status': { body: userBody },
    'POST /api/admin/sessions': { body: userBody },
    'POST /api/admin/roles': { body: userBody },
    'POST /api/admin/totp': { body: userBody },
    'POST /api/queue/review': { body: { editId } },
    'POST /api/queue/hide': { body: { editId } },
    'POST /api/queue/whitelist': { body: { editId } },
    'POST /api/blocks': { body: { target: { type: 'account', name: victim.username }, options: { wiki: 'enwiki', expiry: '1 day', reasonText: reason } } },
    'action app/steward/actions.ts#createUserAction': { form: userForm },
    'action app/steward/actions.ts#grantRoleAction': { form: userForm },
    'action app/steward/actions.ts#endSessionsAction': { form: userForm },
    'action app/steward/actions.ts#setDisabledAction': { form: userForm },
    'action app/steward/actions.ts#resetTotpAction': { form: userForm },
  };
}
