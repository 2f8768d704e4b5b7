import type { ActionState } from '@/app/_lib/action';
import { ActionForm } from './ActionForm';

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

export interface HolderRow {
  id: string;
  username: string;
  roles: string[];
  checkuser: boolean;
  admin: boolean;
  grantWiki: string | null;
  agreement: { version: string; signedOn: string } | null;
  acknowledged: boolean;
  suspended: boolean;
}

const CB = '/steward/reveals';

/** Reveal holders (checkusers, admins) with the steward's acts on each: agreement, grant, suspension. */
export function HoldersTable({
  holders,
  self,
  actions,
}: {
  holders: HolderRow[];
  self: string;
  actions: { agreement: Act; grant: Act; suspend: Act };
}) {
  return (
    <div className="table-wrap">
      <table aria-label="Reveal holders">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Roles</th>
            <th scope="col">Reveal via</th>
            <th scope="col">Agreement</th>
            <th scope="col">Status</th>
            <th scope="col">Steward acts</th>
          </tr>
        </thead>
        <tbody>
          {holders.map((h) => (
            <tr key={h.id} data-testid={`holder-${h.username}`}>
              <td dir="auto">{h.username}</td>
              <td>{h.roles.join(', ')}</td>
              <td>{h.checkuser ? 'role (checkuser)' : h.grantWiki ? `grant (${h.grantWiki})` : '—'}</td>
              <td>
                {h.agreement ? `v${h.agreement.version.replace(/^v/, '')} signed ${h.agreement.signedOn}` : 'none on record'}
                {h.agreement ? (h.acknowledged ? ' · acknowledged' : ' · not acknowledged') : ''}
              </td>
              <td>{h.suspended ? 'suspended' : 'active'}</td>
              <td>
                {h.id === self ? (
                  '(you)'
                ) : (
                  <>
                    <ActionForm action={actions.agreement} label={`Record agreement for ${h.username}`} submit="Record agreement" hidden={{ userId: h.id }} callback={CB}>
                      <input name="version" required maxLength={40} size={6} placeholder="version" aria-label="Agreement version" />
                      <input name="signedOn" type="date" required aria-label="Signed on" />
                    </ActionForm>
                    {h.admin && !h.checkuser ? (
                      h.grantWiki ? (
                        <ActionForm action={actions.grant} label={`Withdraw grant of ${h.username}`} submit="Withdraw grant" hidden={{ userId: h.id, grant: 'false' }} callback={CB} />
                      ) : (
                        <ActionForm action={actions.grant} label={`Grant reveal to ${h.username}`} submit="Grant reveal" hidden={{ userId: h.id, grant: 'true' }} callback={CB}>
                          <input name="wiki" defaultValue="*" size={8} maxLength={64} aria-label="Wiki" />
                          <input name="reason" maxLength={500} placeholder="reason" aria-label="Reason" />
                        </ActionForm>
                      )
                    ) : null}
                    <ActionForm
                      action={actions.suspend}
                      label={`${h.suspended ? 'Restore' : 'Suspend'} reveal of ${h.username}`}
                      submit={h.suspended ? 'Restore reveal' : 'Suspend reveal'}
                      hidden={{ userId: h.id, suspend: h.suspended ? 'false' : 'true' }}
                      callback={CB}
                    >
                      <input name="note" maxLength={500} placeholder="note" aria-label="Note" />
                    </ActionForm>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
