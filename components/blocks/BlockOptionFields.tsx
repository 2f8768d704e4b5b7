'use client';

import { EXPIRY_PRESETS, REASON_PRESETS } from '@/lib/blocks/presets';
import { messages } from '@/lib/messages';

const t = messages.blockDialog;

/** The MediaWiki-style options of a block, shared by the block dialog and the modify form on /blocks. */
export interface OptionState {
  wiki: string;
  expiry: string;
  expiryOther: string;
  reasonPreset: string;
  reasonText: string;
  pages: string;
  namespaces: string;
  anonOnly: boolean;
  noCreate: boolean;
  autoblock: boolean;
}

/** The request body's `options` (the server validates everything again). */
export function optionsBody(o: OptionState, withWiki = true) {
  return {
    ...(withWiki ? { wiki: o.wiki } : {}),
    expiry: o.expiry === 'other' ? o.expiryOther : o.expiry,
    reasonPreset: o.reasonPreset || undefined,
    reasonText: o.reasonText || undefined,
    pages: o.pages.split('\n').map((s) => s.trim()).filter(Boolean),
    namespaces: o.namespaces.split(',').map((s) => s.trim()).filter(Boolean).map(Number),
    anonOnly: o.anonOnly,
    noCreate: o.noCreate,
    autoblock: o.autoblock,
  };
}

export function BlockOptionFields(p: {
  state: OptionState;
  onChange: (s: OptionState) => void;
  /** wikis the viewer may block on ("*": any); null: the wiki is fixed (modify) */
  wikis: string[] | '*' | null;
  global?: boolean;
  account: boolean;
}) {
  const s = p.state;
  const set = (patch: Partial<OptionState>) => p.onChange({ ...s, ...patch });
  return (
    <>
      {p.wikis ? (
        <label>
          {t.wiki}
          {p.wikis === '*' ? (
            <input value={s.wiki} onChange={(e) => set({ wiki: e.target.value })} data-testid="block-wiki" />
          ) : (
            <select value={s.wiki} onChange={(e) => set({ wiki: e.target.value })} data-testid="block-wiki">
              {p.wikis.map((w) => (
                <option key={w}>{w}</option>
              ))}
              {p.global ? <option value="*">{t.allWikis}</option> : null}
            </select>
          )}
        </label>
      ) : null}
      <label>
        {t.expiry}
        <select value={s.expiry} onChange={(e) => set({ expiry: e.target.value })} data-testid="block-expiry">
          {EXPIRY_PRESETS.map((e) => (
            <option key={e}>{e}</option>
          ))}
          <option value="other">{t.expiryOther}</option>
        </select>
      </label>
      {s.expiry === 'other' ? <input aria-label={t.expiryOther} value={s.expiryOther} onChange={(e) => set({ expiryOther: e.target.value })} /> : null}
      {p.account ? <p className="hint">{t.tempRule}</p> : null}
      <label>
        {t.reasonPreset}
        <select value={s.reasonPreset} onChange={(e) => set({ reasonPreset: e.target.value })} data-testid="block-reason-preset">
          {REASON_PRESETS.map((r) => (
            <option key={r}>{r}</option>
          ))}
          <option value="">{t.reasonNone}</option>
        </select>
      </label>
      <label>
        {t.reasonText}
        <input value={s.reasonText} maxLength={500} onChange={(e) => set({ reasonText: e.target.value })} data-testid="block-reason" />
      </label>
      <details>
        <summary>{t.more}</summary>
        <label>
          {t.pages}
          <textarea rows={2} value={s.pages} onChange={(e) => set({ pages: e.target.value })} />
        </label>
        <label>
          {t.namespaces}
          <input value={s.namespaces} onChange={(e) => set({ namespaces: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={s.anonOnly} onChange={(e) => set({ anonOnly: e.target.checked })} /> {t.anonOnly}
        </label>
        <label className="check">
          <input type="checkbox" checked={s.noCreate} onChange={(e) => set({ noCreate: e.target.checked })} /> {t.noCreate}
        </label>
        <label className="check">
          <input type="checkbox" checked={s.autoblock} onChange={(e) => set({ autoblock: e.target.checked })} /> {t.autoblock}
        </label>
      </details>
    </>
  );
}
