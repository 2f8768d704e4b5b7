import Link from 'next/link';
import { requirePage } from '@/app/_lib/actor';
import { AccountActions, CreateUserForm, GrantRoleForm } from '@/components/steward/StewardForms';
import { chainStatus, listAudit } from '@/lib/audit/queries';
import { messages } from '@/lib/messages';
import { listUsers } from '@/lib/users/queries';
import { createUserAction, endSessionsAction, grantRoleAction, resetTotpAction, setDisabledAction } from './actions';

export default async function StewardPage() {
  const actor = await requirePage('user.view', '*');
  const [users, audit, chain] = await Promise.all([listUsers(actor), listAudit(actor, 100), chainStatus(actor)]);
  const t = messages.steward;
  return (
    <>
      <h1>{t.title}</h1>
      <p>
        <Link href="/steward/reveals">{messages.reveal.steward.title}: trail, approvals, holders, agreements, export</Link>
      </p>
      <p data-testid="chain-status" className={chain.ok ? 'status-ok' : 'status-bad'}>
        {chain.ok ? t.chainOk(chain.rows) : t.chainBroken(chain.brokenAt, chain.problem)}
      </p>
      <p>
        <a href="/steward/audit">{t.chainLink}</a>
      </p>

      <h2>{t.users}</h2>
      <table aria-label={t.users}>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td dir="auto">{u.username}</td>
              <td>{u.roles.map((r) => (r.wiki === '*' ? r.role : `${r.role}@${r.wiki}`)).join(', ') || '—'}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>{u.createdAt.slice(0, 16).replace('T', ' ')}</td>
              <td>
                {u.id === actor.id ? (
                  '(you)'
                ) : (
                  <AccountActions
                    userId={u.id}
                    username={u.username}
                    disabled={u.disabled}
                    endSessions={endSessionsAction}
                    setDisabled={setDisabledAction}
                    resetTotp={resetTotpAction}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t.createUser}</h2>
      <div className="card">
        <CreateUserForm action={createUserAction} />
      </div>
      <h2>{t.grantRole}</h2>
      <div className="card">
        <GrantRoleForm action={grantRoleAction} users={users.map((u) => ({ id: u.id, username: u.username }))} />
      </div>

      <h2>{t.audit}</h2>
      <table aria-label={t.audit}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Wiki</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{r.createdAt.slice(0, 19).replace('T', ' ')}</td>
              <td dir="auto">{r.actorName}</td>
              <td className="mono">{r.action}</td>
              <td className="mono">{r.targetType ? `${r.targetType}:${r.targetId?.slice(0, 8)}` : '—'}</td>
              <td>{r.wiki ?? '—'}</td>
              <td dir="auto">{r.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
