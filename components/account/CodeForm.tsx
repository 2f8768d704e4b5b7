'use client';
import { useActionState } from 'react';
import type { ActionState } from '@/app/_lib/action';

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** One code field that posts to a server action which verifies it server-side (step-up, or finishing sign-in). */
export function CodeForm({
  action,
  mode,
  callbackUrl,
  label,
  submit,
}: {
  action: Act;
  mode: 'step-up' | 'verify';
  callbackUrl: string;
  label: string;
  submit: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction}>
      <input type="hidden" name="mode" value={mode} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label>
        {label}
        <input name="code" autoComplete="one-time-code" inputMode={mode === 'step-up' ? 'numeric' : 'text'} required maxLength={16} autoFocus />
      </label>
      {state.status === 'error' ? (
        <p role="alert" className="error" id="code-error">
          {state.message}
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        {submit}
      </button>
    </form>
  );
}
