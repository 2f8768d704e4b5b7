'use client';
import { useActionState, useSyncExternalStore } from 'react';
import type { ActionState } from '@/app/_lib/action';
import { messages } from '@/lib/messages';

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

const noop = () => () => {};

export function VerifyNowForm({ action }: { action: Act }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  // enabled once hydrated: a native form POST before then carries `Origin: null` (no-referrer policy), which
  // the Origin check rightly refuses
  const hydrated = useSyncExternalStore(noop, () => true, () => false);
  const t = messages.auditChain;
  return (
    <form action={formAction} aria-label={t.verifyNow}>
      <button type="submit" disabled={pending || !hydrated}>
        {pending ? t.verifying : t.verifyNow}
      </button>{' '}
      {state.status === 'ok' ? (
        <span role="status">{state.message}</span>
      ) : state.status === 'error' ? (
        <span role="alert" className="error">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
