'use client';
import { useActionState } from 'react';
import type { ActionState } from '@/app/_lib/action';
import { messages } from '@/lib/messages';

type Act<T = unknown> = (prev: ActionState, form: FormData) => Promise<ActionState<T>>;
const ROLES = ['patroller', 'admin', 'checkuser', 'steward'] as const;

/** A refusal for want of a fresh second factor: offer the step-up page, which brings the user back here. */
function StepUpLink({ state }: { state: ActionState<unknown> }) {
  if (state.status !== 'error' || !state.stepUp) return null;
  return (
    <>
      {' '}
      <a href="/account/step-up?callbackUrl=%2Fsteward" data-testid="step-up-link">
        {messages.stepUp.prompt}
      </a>
    </>
  );
}

function Result({ state }: { state: ActionState<{ password?: string } | unknown> }) {
  const password = state.status === 'ok' ? (state.data as { password?: string } | undefined)?.password : undefined;
  if (state.status === 'idle') return null;
  if (state.status === 'error')
    return (
      <p role="alert" className="error">
        {state.message}
        <StepUpLink state={state} />
      </p>
    );
  return (
    <p role="status" className="notice">
      {state.message}
      {password ? (
        <>
          {' '}
          <code data-testid="generated-password">{password}</code>
        </>
      ) : null}
    </p>
  );
}

export function CreateUserForm({ action }: { action: Act<{ password?: string }> }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState<{ password?: string }>);
  return (
    <>
      <form action={formAction} className="inline" aria-label="Create an account">
        <label>
          Username
          <input name="username" required minLength={3} maxLength={64} />
        </label>
        <label>
          Role
          <select name="role" defaultValue="patroller">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Wiki
          <input name="wiki" defaultValue="*" maxLength={64} size={10} />
        </label>
        <label>
          Reason
          <input name="reason" maxLength={500} />
        </label>
        <button type="submit" disabled={pending}>
          Create
        </button>
      </form>
      <Result state={state} />
    </>
  );
}

export function GrantRoleForm({ action, users }: { action: Act; users: { id: string; username: string }[] }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <>
      <form action={formAction} className="inline" aria-label="Grant a role">
        <label>
          Account
          <select name="userId" required>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
        </label>
        <label>
          Role
          <select name="role" defaultValue="patroller">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Wiki
          <input name="wiki" defaultValue="*" maxLength={64} size={10} />
        </label>
        <label>
          Reason
          <input name="reason" maxLength={500} />
        </label>
        <button type="submit" disabled={pending}>
          Grant
        </button>
      </form>
      <Result state={state} />
    </>
  );
}

/** Per-account buttons: end sessions, disable / enable, reset the second factor. */
export function AccountActions({
  userId,
  username,
  disabled,
  endSessions,
  setDisabled,
  resetTotp,
}: {
  userId: string;
  username: string;
  disabled: boolean;
  endSessions: Act;
  setDisabled: Act;
  resetTotp: Act;
}) {
  const [s1, end, p1] = useActionState(endSessions, { status: 'idle' } as ActionState);
  const [s2, toggle, p2] = useActionState(setDisabled, { status: 'idle' } as ActionState);
  const [s3, reset, p3] = useActionState(resetTotp, { status: 'idle' } as ActionState);
  const state = s3.status !== 'idle' ? s3 : s2.status !== 'idle' ? s2 : s1;
  return (
    <div className="badges">
      <form action={end}>
        <input type="hidden" name="userId" value={userId} />
        <button type="submit" className="secondary" disabled={p1} aria-label={`End sessions of ${username}`}>
          End sessions
        </button>
      </form>
      <form action={toggle}>
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="disabled" value={disabled ? 'false' : 'true'} />
        <button type="submit" className="secondary" disabled={p2} aria-label={`${disabled ? 'Enable' : 'Disable'} ${username}`}>
          {disabled ? 'Enable' : 'Disable'}
        </button>
      </form>
      <form action={reset}>
        <input type="hidden" name="userId" value={userId} />
        <button type="submit" className="secondary" disabled={p3} aria-label={`Reset 2FA of ${username}`}>
          Reset 2FA
        </button>
      </form>
      {state.status === 'error' ? (
        <span role="alert" className="error">
          {state.message}
          <StepUpLink state={state} />
        </span>
      ) : state.status === 'ok' ? (
        <span role="status">{state.message}</span>
      ) : null}
    </div>
  );
}
