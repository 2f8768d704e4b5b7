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

export const SAMPLES: Record<string, Sample> = {
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
  'action app/account/actions.ts#verifyCodeAction': { form: { mode: 'step-up', code: '000000', callbackUrl: '/' } },
  'action app/account/actions.ts#confirmEnrolmentAction': { form: { code: '000000' } },
};
