'use client';

import type { Ref } from 'react';
import { COUNTRY, NAMESPACES, type QueueFilters } from '@/lib/edits/filters';
import { messages } from '@/lib/messages';
import type { LiveStatus } from './use-live-queue';

const t = messages.queue;
const SCORES = [0.3, 0.5, 0.7, 0.9];

export interface ToolbarProps {
  filters: QueueFilters;
  wikis: string[];
  onChange(next: QueueFilters): void;
  searchRef: Ref<HTMLInputElement>;
  columns: { id: string; label: string; visible: boolean; toggle(): void }[];
  status: LiveStatus;
  paused: boolean;
  waiting: number;
  arrived: number;
  onTogglePause(): void;
  busy: boolean;
}

/** Filters (kept in the URL), column visibility, and the live feed's state with pause / resume. */
export function QueueToolbar({ searchRef, ...p }: ToolbarProps) {
  const f = p.filters;
  const set = (patch: Partial<QueueFilters>) => p.onChange({ ...f, ...patch });
  const check = (key: 'anonOnly' | 'unreviewedOnly' | 'clusteredOnly' | 'evasionOnly' | 'hostingOnly' | 'showTrusted' | 'showHidden', label: string) => (
    <label className="check">
      <input type="checkbox" checked={!!f[key]} onChange={(e) => set({ [key]: e.target.checked })} /> {label}
    </label>
  );
  const statusText =
    p.status === 'live' ? (p.paused ? t.live.paused : t.live.live) : p.status === 'connecting' ? t.live.connecting : p.status === 'reconnecting' ? t.live.reconnecting : t.live.failed;
  return (
    <div className="queue-toolbar">
      <fieldset className="filters">
        <legend>{t.filters.legend}</legend>
        <label>
          {t.filters.search}
          <input ref={searchRef} type="search" value={f.q ?? ''} onChange={(e) => set({ q: e.target.value || undefined })} maxLength={100} data-testid="queue-search" />
        </label>
        <label>
          {t.filters.wiki}
          <select value={f.wiki ?? ''} onChange={(e) => set({ wiki: e.target.value || undefined })}>
            <option value="">{t.filters.anyWiki}</option>
            {[...new Set([...p.wikis, ...(f.wiki ? [f.wiki] : [])])].map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.filters.namespace}
          <select value={f.namespace ?? ''} onChange={(e) => set({ namespace: e.target.value === '' ? undefined : Number(e.target.value) })}>
            <option value="">{t.filters.anyNamespace}</option>
            {NAMESPACES.map(([n, name]) => (
              <option key={n} value={n}>
                {name}
              </option>
            ))}
            {f.namespace !== undefined && !NAMESPACES.some(([n]) => n === f.namespace) ? <option value={f.namespace}>{f.namespace}</option> : null}
          </select>
        </label>
        <label>
          {t.filters.minScore}
          <select value={f.minScore ?? ''} onChange={(e) => set({ minScore: e.target.value === '' ? undefined : Number(e.target.value) })}>
            <option value="">{t.filters.anyScore}</option>
            {[...new Set([...SCORES, ...(f.minScore !== undefined ? [f.minScore] : [])])].map((s) => (
              <option key={s} value={s}>
                ≥ {s.toFixed(2)}
              </option>
            ))}
          </select>
        </label>
        {check('anonOnly', t.filters.anon)}
        {check('unreviewedOnly', t.filters.unreviewed)}
        {check('clusteredOnly', t.filters.clustered)}
        {check('evasionOnly', t.filters.evasion)}
        {check('hostingOnly', t.filters.hosting)}
        <label>
          {t.filters.country}
          <input
            type="text"
            size={3}
            maxLength={2}
            pattern="[A-Za-z]{2}"
            placeholder={t.filters.anyCountry}
            defaultValue={f.country ?? ''}
            key={f.country ?? ''}
            onChange={(e) => {
              const v = e.target.value.trim().toUpperCase();
              if (v === '') set({ country: undefined });
              else if (COUNTRY.test(v)) set({ country: v });
            }}
            data-testid="queue-country"
          />
        </label>
        {check('showTrusted', t.filters.trusted)}
        {check('showHidden', t.filters.hidden)}
      </fieldset>
      <div className="queue-bar">
        <details className="columns-menu">
          <summary>{t.filters.columns}</summary>
          <div className="menu">
            {p.columns.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={c.visible} onChange={c.toggle} /> {c.label}
              </label>
            ))}
          </div>
        </details>
        <button type="button" onClick={p.onTogglePause} aria-pressed={p.paused} data-testid="pause">
          {p.paused ? t.live.resume : t.live.pause}
        </button>
        <span className={`live-state ${p.status}`} data-testid="live-state">
          {statusText}
          {p.busy ? ` · ${t.loading}` : ''}
        </span>
        {p.status === 'failed' ? (
          <a href="" className="button-link">
            {t.live.reload}
          </a>
        ) : null}
        {/* announced politely: how many edits arrived, and how many wait while paused */}
        <span role="status" aria-live="polite" aria-atomic="true" data-testid="arrivals">
          {p.paused && p.waiting ? t.live.waiting(p.waiting) : p.arrived ? t.live.arrived(p.arrived) : ''}
        </span>
      </div>
    </div>
  );
}
