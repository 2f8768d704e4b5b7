'use client';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

export interface SignInText {
  username: string;
  password: string;
  submit: string;
  busy: string;
  failed: string;
}

export function SignInForm({ text, callbackUrl }: { text: SignInText; callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn('credentials', {
      redirect: false,
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    setBusy(false);
    if (!res || res.error) {
      setError(text.failed);
      return;
    }
    // a full navigation: the new session cookie applies to every server component from the first byte
    window.location.assign(callbackUrl);
  }

  return (
    <form onSubmit={onSubmit} aria-describedby={error ? 'signin-error' : undefined}>
      <label>
        {text.username}
        <input name="username" autoComplete="username" required maxLength={64} autoFocus />
      </label>
      <label>
        {text.password}
        <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </label>
      {error ? (
        <p id="signin-error" role="alert" className="error">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {busy ? text.busy : text.submit}
      </button>
    </form>
  );
}
