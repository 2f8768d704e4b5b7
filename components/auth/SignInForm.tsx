'use client';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

export interface SignInText {
  username: string;
  password: string;
  submit: string;
  busy: string;
  failed: string;
  code: string;
  codeHint: string;
  failedCode: string;
}

/** The server's answer when the password is right and the account has TOTP (lib/auth/nextauth.ts CODE_REQUIRED). */
const CODE_REQUIRED = 'CodeRequired';

/**
 * Password first; for accounts with two-factor authentication the server answers "code required" and the
 * form reveals a code field (TOTP or a recovery code) and sends all three again.
 */
export function SignInForm({ text, callbackUrl }: { text: SignInText; callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [needCode, setNeedCode] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn('credentials', {
      redirect: false,
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
      totp: needCode ? String(form.get('totp') ?? '') : '',
    });
    setBusy(false);
    if (res?.error === CODE_REQUIRED) {
      setNeedCode(true);
      return;
    }
    if (!res || res.error) {
      setError(needCode ? text.failedCode : text.failed);
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
      {needCode ? (
        <>
          <label>
            {text.code}
            <input name="totp" autoComplete="one-time-code" required maxLength={16} autoFocus aria-describedby="code-hint" />
          </label>
          <p id="code-hint" className="empty">
            {text.codeHint}
          </p>
        </>
      ) : null}
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
