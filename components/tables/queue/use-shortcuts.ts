'use client';

import { useEffect, useRef } from 'react';

export type ShortcutKey = 'j' | 'k' | 'o' | 'c' | 'r' | 'w' | 'b' | '/' | '?' | 'Escape';
const KEYS = new Set<string>(['j', 'k', 'o', 'c', 'r', 'w', 'b', '/', '?', 'Escape']);

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || !!target.closest('input, textarea, select, [contenteditable="true"]');
}

/**
 * The queue's keyboard: one document listener. Ignored while typing in a field (Esc there leaves the field),
 * with a modifier held, or while a modal dialog is open (the dialog handles Esc itself).
 */
export function useShortcuts(handler: (key: ShortcutKey) => void) {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (document.querySelector('dialog[open]')) return;
      if (typing(e.target)) {
        if (e.key === 'Escape' && e.target instanceof HTMLElement) e.target.blur();
        return;
      }
      if (!KEYS.has(e.key)) return;
      e.preventDefault();
      ref.current(e.key as ShortcutKey);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
