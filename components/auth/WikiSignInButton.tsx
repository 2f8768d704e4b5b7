'use client';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

/**
 * Starts the OAuth 2 authorization-code flow with the configured MediaWiki (next-auth's Wikimedia provider):
 * next-auth answers with the wiki's authorize URL and the browser goes there.
 */
export function WikiSignInButton({ label, providerId, callbackUrl }: { label: string; providerId: string; callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn(providerId, { callbackUrl });
      }}
    >
      {label}
    </button>
  );
}
