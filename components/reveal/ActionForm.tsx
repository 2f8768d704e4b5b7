'use client';
import { useActionState } from 'react';
import type { ActionState } from '@/app/_lib/action';
import { messages } from '@/lib/messages';

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A small server-action form of the reveal pages: hidden fields, the visible fields given as children, one
 * submit button, and the action's answer (a step-up refusal links to the step-up page).
 */
export function ActionForm({
  action,
  label,
  submit,
  hidden = {},
  children,
  testId,
  callback = '/',
}: {
  action: Act;
  label: string;
  submit: string;
  hidden?: Record<string, string>;
  children?: React.ReactNode;
  testId?: string;
  callback?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <div data-testid={testId}>
      <form action={formAction} className="inline" aria-label={label}>
        {Object.entries(hidden).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        {children}
        <button type="submit" disabled={pending}>
          {submit}
        </button>
      </form>
      {state.status === 'error' ? (
        <p role="alert" className="error">
          {state.message}
          {state.stepUp ? (
            <>
              {' '}
              <a href={`/account/step-up?callbackUrl=${encodeURIComponent(callback)}`}>{messages.stepUp.prompt}</a>
            </>
          ) : null}
        </p>
      ) : state.status === 'ok' ? (
        <p role="status" className="notice">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
