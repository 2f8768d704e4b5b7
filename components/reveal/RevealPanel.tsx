'use client';
import { useEffect, useRef, useState } from 'react';
import { messages } from '@/lib/messages';

type Address = { ip: string; display: string; wiki: string; lastSeen: string };
type Shown = { label: string; addresses: Address[]; unavailable: number; until: number; seconds: number };

/**
 * The "Reveal IP" control. The request goes to POST /api/reveal as a JSON body (the address never travels in
 * a URL); the answer is kept in component state only (no storage, no URL), shown for the configured time, then
 * dropped. Showing it again is a new request, a new reveal row and a new audit row.
 */
export function RevealPanel({
  target,
  categories,
  displaySeconds,
  requestId,
  compact = false,
}: {
  target: { type: 'actor' | 'range' | 'cluster'; key: string };
  categories: readonly string[];
  displaySeconds: number;
  requestId?: string;
  compact?: boolean;
}) {
  const t = messages.reveal;
  const [shown, setShown] = useState<Shown | null>(null);
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<{ message: string; stepUp: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [left, setLeft] = useState(0);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!shown) return;
    const tick = () => {
      const ms = shown.until - Date.now();
      if (ms <= 0) {
        setShown(null);
        setHidden(true);
      } else setLeft(Math.ceil(ms / 1000));
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [shown]);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => (typeof f.get(k) === 'string' ? (f.get(k) as string) : '');
    setBusy(true);
    setError(null);
    setHidden(false);
    try {
      const res = await fetch('/api/reveal', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        cache: 'no-store',
        body: JSON.stringify({ target, requestId, category: get('category'), reason: get('reason'), caseRef: get('caseRef'), code: get('code') }),
      });
      const body = (await res.json().catch(() => ({}))) as {
        reveal?: { label: string; addresses: Address[]; unavailable: number; displaySeconds: number };
        error?: { code: string; message: string };
      };
      const codeInput = form.current?.elements.namedItem('code');
      if (codeInput instanceof HTMLInputElement) codeInput.value = '';
      if (!res.ok || !body.reveal) {
        setError({ message: body.error?.message ?? 'The reveal failed.', stepUp: body.error?.code === 'step_up_required' });
        return;
      }
      const seconds = body.reveal.displaySeconds;
      setShown({ label: body.reveal.label, addresses: body.reveal.addresses, unavailable: body.reveal.unavailable, until: Date.now() + seconds * 1000, seconds });
    } finally {
      setBusy(false);
    }
  }

  const id = `reveal-${target.type}-${requestId ?? 'direct'}`;
  return (
    <section className="card reveal" aria-labelledby={`${id}-h`} data-testid="reveal-panel">
      <h2 id={`${id}-h`}>{t.title}</h2>
      {compact ? null : <p className="sub">{t.panelNote(displaySeconds)}</p>}
      <form ref={form} onSubmit={submit} aria-label={t.title} className="stack">
        {requestId ? null : (
          <>
            <label>
              {t.category}
              <select name="category" required defaultValue="">
                <option value="" disabled>
                  —
                </option>
                {categories.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              {t.reason}
              <textarea name="reason" required minLength={20} maxLength={1000} rows={2} />
            </label>
            <label>
              {t.caseRef}
              <input name="caseRef" maxLength={120} />
            </label>
          </>
        )}
        <label>
          {t.code}
          <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} size={8} aria-describedby={`${id}-code-hint`} />
        </label>
        <p id={`${id}-code-hint`} className="sub">
          {t.codeHint}
        </p>
        <p>
          <button type="submit" disabled={busy}>
            {busy ? t.busy : t.submit}
          </button>
        </p>
      </form>
      {error ? (
        <p role="alert" className="error" data-testid="reveal-error">
          {error.message}{' '}
          {error.stepUp ? (
            <a href={`/account/step-up?callbackUrl=${encodeURIComponent(typeof window === 'undefined' ? '/' : window.location.pathname)}`}>{messages.stepUp.prompt}</a>
          ) : null}
        </p>
      ) : null}
      {shown ? (
        <div role="status" className="notice" data-testid="reveal-result">
          <ul className="plain">
            {shown.addresses.map((a, i) => (
              <li key={i}>
                <span dir="auto">{a.display}</span> ({a.wiki}): <strong className="mono" data-testid="revealed-ip">{a.ip}</strong>
              </li>
            ))}
          </ul>
          {shown.unavailable ? <p>{t.unavailable(shown.unavailable)}</p> : null}
          <p className="sub" data-testid="reveal-countdown">
            {t.shown(shown.seconds)} {left}s
          </p>
        </div>
      ) : null}
      {hidden ? (
        <p className="sub" data-testid="reveal-hidden">
          {t.hidden}
        </p>
      ) : null}
    </section>
  );
}
