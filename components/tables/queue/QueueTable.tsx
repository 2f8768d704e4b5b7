'use client';

import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { useTable, type ColumnVisibilityState, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EditRow } from '@/lib/edits/queries';
import { DEFAULT_FILTERS, filtersToSearch, matchesFilters, type QueueFilters } from '@/lib/edits/filters';
import { messages } from '@/lib/messages';
import { call } from './api';
import { clusterHref, features, queueColumns } from './columns';
import { HelpDialog } from './help-dialog';
import { SelectedRowContext, type RowActionHandlers } from './row-actions';
import { MAX_ROWS, applyReview, applyWhitelist } from './state';
import { QueueToolbar } from './toolbar';
import { useLiveQueue } from './use-live-queue';
import { useShortcuts, type ShortcutKey } from './use-shortcuts';

const t = messages.queue;
const ROW_HEIGHT = 40;
const COLUMNS_KEY = 'maskpatrol.queue.hiddenColumns';

export interface QueueTableProps {
  initialRows: EditRow[];
  /** highest edit id when the page was rendered: the live stream starts after it */
  cursor: string;
  filters: QueueFilters;
  wikis: string[];
}

type Notice = { text: string; undo?: () => void } | null;

/** The live queue: TanStack Table v9 rows, virtualised, fed by the SSE stream, driven from the keyboard. */
export function QueueTable(props: QueueTableProps) {
  const router = useRouter();
  const [busy, startTransition] = useTransition();
  const [filters, setFilters] = useState(props.filters);
  const refresh = useCallback(() => router.refresh(), [router]);
  const live = useLiveQueue(props.initialRows, props.cursor, filters, refresh);
  const data = useMemo(() => live.rows.filter((r) => matchesFilters(r, filters)), [live.rows, filters]);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'time', desc: true }]);
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>({});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const urlTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    try {
      const hidden = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '[]') as unknown;
      if (Array.isArray(hidden)) setColumnVisibility(Object.fromEntries(hidden.filter((c) => typeof c === 'string').map((c) => [c, false])));
    } catch {
      /* a malformed preference is ignored */
    }
  }, []);

  const changeFilters = useCallback(
    (next: QueueFilters) => {
      const typed = next.q !== filters.q;
      setFilters(next);
      clearTimeout(urlTimer.current);
      const qs = filtersToSearch(next);
      urlTimer.current = setTimeout(() => startTransition(() => router.replace(qs ? `/queue?${qs}` : '/queue', { scroll: false })), typed ? 300 : 0);
    },
    [filters.q, router],
  );

  const fail = useCallback((err: unknown) => setNotice({ text: t.actions.failed(err instanceof Error ? err.message : String(err)) }), []);
  const update = live.update;
  const handlers = useMemo<RowActionHandlers>(() => {
    const h: RowActionHandlers = {
      review(row) {
        call<{ review: EditRow['review'] }>('/api/queue/review', 'POST', { editId: row.id }).then((r) => {
          update((rows) => applyReview(rows, row.id, r.review));
          setNotice({ text: t.actions.reviewed(row.title) });
        }, fail);
      },
      whitelist(row) {
        call('/api/queue/whitelist', 'POST', { editId: row.id }).then(() => {
          update((rows) => applyWhitelist(rows, row.wiki, row.actorKey, true));
          setNotice({ text: t.actions.whitelisted(row.actorName, row.wiki), undo: () => h.unwhitelist(row) });
        }, fail);
      },
      unwhitelist(row) {
        call('/api/queue/whitelist', 'DELETE', { wiki: row.wiki, actorKey: row.actorKey }).then(() => {
          update((rows) => applyWhitelist(rows, row.wiki, row.actorKey, false));
          setNotice({ text: t.actions.unwhitelisted(row.actorName, row.wiki) });
        }, fail);
      },
      setHidden(row, hidden) {
        call('/api/queue/hide', hidden ? 'POST' : 'DELETE', { editId: row.id }).then(() => {
          update((rows) => rows.map((r) => (r.id === row.id ? { ...r, hidden } : r)));
          setNotice(hidden ? { text: t.actions.hidden, undo: () => h.setHidden({ ...row, hidden: true }, false) } : null);
        }, fail);
      },
    };
    return h;
  }, [update, fail]);

  const columns = useMemo(() => queueColumns(handlers), [handlers]);
  const table = useTable({
    features,
    columns,
    data,
    state: { sorting, columnVisibility },
    onSortingChange: setSorting,
    onColumnVisibilityChange: (u) =>
      setColumnVisibility((prev) => {
        const next = typeof u === 'function' ? u(prev) : u;
        localStorage.setItem(COLUMNS_KEY, JSON.stringify(Object.keys(next).filter((k) => next[k] === false)));
        return next;
      }),
    getRowId: (r) => r.id,
  });
  const rows = table.getRowModel().rows;
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; this component opts out of the compiler
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
  const selected = selectedIndex >= 0 ? rows[selectedIndex]!.original : null;

  const select = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(rows.length - 1, index));
      const row = rows[i];
      if (!row) return;
      setSelectedId(row.id);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [rows, virtualizer],
  );
  useEffect(() => {
    if (!selectedId) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-id="${selectedId}"]`);
    if (el && document.activeElement !== el && !el.contains(document.activeElement)) el.focus({ preventScroll: true });
  }, [selectedId, items]);

  useShortcuts((key: ShortcutKey) => {
    switch (key) {
      case 'j':
        return select(selectedIndex + 1);
      case 'k':
        return select(selectedIndex < 0 ? 0 : selectedIndex - 1);
      case 'o':
        if (!selected) return;
        if (selected.diffUrl) window.open(selected.diffUrl, '_blank', 'noopener,noreferrer');
        else setNotice({ text: t.actions.noDiff });
        return;
      case 'c':
        if (!selected) return;
        if (selected.cluster) router.push(clusterHref(selected.cluster.id));
        else setNotice({ text: t.actions.noCluster });
        return;
      case 'r':
        if (!selected) return;
        if (!selected.review) handlers.review(selected);
        return select(selectedIndex + 1);
      case 'w':
        if (selected && !selected.whitelisted) handlers.whitelist(selected);
        return;
      case 'b':
        return setNotice({ text: t.actions.blockLater });
      case '/': {
        const input = searchRef.current;
        input?.focus();
        input?.setSelectionRange(input.value.length, input.value.length);
        return;
      }
      case '?':
        return setHelpOpen(true);
      case 'Escape':
        return setNotice(null);
    }
  });

  const visibleCount = table.getVisibleLeafColumns().length;
  const filtered = filtersToSearch(filters) !== '';
  return (
    <SelectedRowContext.Provider value={selectedId}>
      <QueueToolbar
        filters={filters}
        wikis={props.wikis}
        onChange={changeFilters}
        searchRef={searchRef}
        columns={table
          .getAllLeafColumns()
          .filter((c) => c.getCanHide())
          .map((c) => ({ id: c.id, label: String(c.columnDef.header ?? c.id), visible: c.getIsVisible(), toggle: () => c.toggleVisibility() }))}
        status={live.status}
        paused={live.paused}
        waiting={live.waiting}
        arrived={live.arrived}
        onTogglePause={live.togglePause}
        busy={busy}
      />
      <div role="status" aria-live="polite" className="queue-notice" data-testid="notice">
        {notice ? (
          <>
            {notice.text}{' '}
            {notice.undo ? (
              <button type="button" className="small" onClick={() => (setNotice(null), notice.undo?.())}>
                {t.actions.undo}
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <div className="card empty" data-testid="queue-empty">
          {filtered ? (
            <>
              {t.emptyFiltered}{' '}
              <button type="button" onClick={() => changeFilters(DEFAULT_FILTERS)}>
                {t.clearFilters}
              </button>
            </>
          ) : (
            t.empty
          )}
        </div>
      ) : null}
      <div ref={scrollRef} className="queue-scroll" tabIndex={0} role="region" aria-label={t.tableLabel} hidden={rows.length === 0}>
        <table aria-label={t.tableLabel} aria-rowcount={rows.length + 1} className="queue-table">
          <thead>
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id} aria-rowindex={1}>
                {g.headers.map((h) => {
                  const dir = h.column.getIsSorted();
                  return (
                    <th key={h.id} scope="col" className={`c-${h.column.id}`} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
                      {h.column.getCanSort() ? (
                        <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                          <table.FlexRender header={h} />
                          <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={h} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 ? (
              <tr aria-hidden="true" className="pad">
                <td colSpan={visibleCount} style={{ height: padTop }} />
              </tr>
            ) : null}
            {items.map((vi) => {
              const row = rows[vi.index]!;
              const isSel = row.id === selectedId;
              return (
                <tr
                  key={row.id}
                  data-id={row.id}
                  data-testid="edit-row"
                  aria-rowindex={vi.index + 2}
                  tabIndex={isSel ? 0 : -1}
                  className={`${isSel ? 'selected' : ''}${row.original.review ? ' is-reviewed' : ''}${row.original.block ? ' evasion-row' : ''}`}
                  data-evasion={row.original.block ? 'true' : undefined}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => setSelectedId(row.id)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={`c-${cell.column.id}`} data-testid={cell.column.id === 'score' ? 'risk' : undefined}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 ? (
              <tr aria-hidden="true" className="pad">
                <td colSpan={visibleCount} style={{ height: padBottom }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {live.rows.length >= MAX_ROWS ? <p className="empty">{t.live.capped(MAX_ROWS)}</p> : null}
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </SelectedRowContext.Provider>
  );
}
