import { describe, expect, it } from 'vitest';
import { originRefusedHtml, sameOrigin, wantsHtml } from '@/lib/auth/origin';
import { messages } from '@/lib/messages';

/** The proxy's answer to a refused state-changing request: a page for a native form post, JSON otherwise. */
describe('Origin refusal', () => {
  const h = (o: Record<string, string>) => new Headers(o);

  it('a natively posted form (pre-hydration: Origin null) is refused and gets the page', () => {
    const form = h({ host: 'app.example', origin: 'null', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(sameOrigin(form)).toBe(false);
    expect(wantsHtml(form)).toBe(true);
  });

  it('fetches keep the JSON error: hydrated server actions (Next-Action) and API clients', () => {
    expect(wantsHtml(h({ accept: 'text/x-component', 'next-action': 'abc' }))).toBe(false);
    expect(wantsHtml(h({ accept: 'text/html', 'next-action': 'abc' }))).toBe(false);
    expect(wantsHtml(h({ accept: '*/*' }))).toBe(false);
    expect(wantsHtml(h({ accept: 'application/json' }))).toBe(false);
  });

  it('the page says what happened and that nothing changed, with no script', () => {
    const page = originRefusedHtml(messages.badOrigin);
    expect(page).toContain(messages.badOrigin.body);
    expect(page).toContain('Nothing was changed');
    expect(page).not.toMatch(/<script/i);
  });
});
