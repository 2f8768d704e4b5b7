'use client';

import { createContext, useContext } from 'react';
import type { EditRow } from '@/lib/edits/queries';
import { messages } from '@/lib/messages';

export interface RowActionHandlers {
  review(row: EditRow): void;
  whitelist(row: EditRow): void;
  unwhitelist(row: EditRow): void;
  setHidden(row: EditRow, hidden: boolean): void;
}

const a = messages.queue.actions;

/** The selected row's id: only its buttons are in the Tab order (one row at a time, like a grid's roving focus). */
export const SelectedRowContext = createContext<string | null>(null);

/** Per-row buttons; the same actions as the keys r and w (and a per-user hide). Labels name the page. */
export function RowActions({ row, review, whitelist, unwhitelist, setHidden }: { row: EditRow } & RowActionHandlers) {
  const what = `${row.title} (${row.wiki})`;
  const tab = useContext(SelectedRowContext) === row.id ? 0 : -1;
  return (
    <span className="row-actions">
      {row.review ? null : (
        <button type="button" className="small" onClick={() => review(row)} aria-label={`${a.review}: ${what}`} tabIndex={tab}>
          {a.review}
        </button>
      )}
      {row.whitelisted ? (
        <button type="button" className="small" onClick={() => unwhitelist(row)} aria-label={`${a.unwhitelist}: ${row.actorName}`} tabIndex={tab}>
          {a.unwhitelist}
        </button>
      ) : (
        <button type="button" className="small" onClick={() => whitelist(row)} aria-label={`${a.whitelist}: ${row.actorName}`} tabIndex={tab}>
          {a.whitelist}
        </button>
      )}
      <button type="button" className="small" onClick={() => setHidden(row, !row.hidden)} aria-label={`${row.hidden ? a.unhide : a.hide}: ${what}`} tabIndex={tab}>
        {row.hidden ? a.unhide : a.hide}
      </button>
    </span>
  );
}
