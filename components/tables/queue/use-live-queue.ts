'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EditRow } from '@/lib/edits/queries';
import { matchesFilters, type QueueFilters } from '@/lib/edits/filters';
import { applyReview, applyWhitelist, mergeRows } from './state';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'failed';

/**
 * The queue's rows: the server-rendered first page, then edits pushed over GET /api/queue/stream (SSE).
 * Arrivals are filtered with the same predicate as the server query; while paused they wait in a buffer.
 * Reviews and whitelist changes by any patroller of the wiki are applied as they come.
 */
export function useLiveQueue(initial: EditRow[], cursor: string, filters: QueueFilters, onGap: () => void) {
  const [rows, setRows] = useState<EditRow[]>(initial);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [paused, setPaused] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [arrived, setArrived] = useState(0);
  const buffer = useRef<EditRow[]>([]);
  const pausedRef = useRef(paused);
  const filtersRef = useRef(filters);
  const onGapRef = useRef(onGap);
  useEffect(() => {
    onGapRef.current = onGap;
  }, [onGap]);

  useEffect(() => {
    filtersRef.current = filters;
  }, [filters]);
  // a new server-rendered page (filters changed): start over from it (held arrivals stay; they are filtered on display)
  const [shown, setShown] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setRows(initial);
    setArrived(0);
  }

  useEffect(() => {
    const es = new EventSource(`/api/queue/stream?after=${encodeURIComponent(cursor)}`);
    es.addEventListener('ready', () => setStatus('live'));
    es.addEventListener('edits', (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as { rows: EditRow[] };
      const mine = data.rows.filter((r) => matchesFilters(r, filtersRef.current));
      if (!mine.length) return;
      setArrived((n) => n + mine.length);
      if (pausedRef.current) {
        buffer.current = mergeRows(buffer.current, mine);
        setWaiting(buffer.current.length);
      } else setRows((prev) => mergeRows(prev, mine));
    });
    // more edits arrived while this page was away (a back navigation restores an old page) than the stream
    // replays: reload the first page rather than show a hole
    es.addEventListener('gap', () => onGapRef.current());
    es.addEventListener('review', (ev) => {
      const e = JSON.parse((ev as MessageEvent<string>).data) as { editId: string; review: EditRow['review'] };
      buffer.current = applyReview(buffer.current, e.editId, e.review);
      setRows((prev) => applyReview(prev, e.editId, e.review));
    });
    es.addEventListener('whitelist', (ev) => {
      const e = JSON.parse((ev as MessageEvent<string>).data) as { wiki: string; actorKey: string; whitelisted: boolean };
      buffer.current = applyWhitelist(buffer.current, e.wiki, e.actorKey, e.whitelisted);
      setRows((prev) => applyWhitelist(prev, e.wiki, e.actorKey, e.whitelisted));
    });
    es.onopen = () => setStatus((s) => (s === 'reconnecting' ? 'live' : s));
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'failed' : 'reconnecting');
    return () => es.close();
  }, [cursor]);

  const togglePause = useCallback(() => {
    const next = !pausedRef.current;
    pausedRef.current = next;
    setPaused(next);
    if (!next && buffer.current.length) {
      const held = buffer.current;
      buffer.current = [];
      setWaiting(0);
      setRows((prev) => mergeRows(prev, held));
    }
  }, []);

  /** Local updates after this browser's own actions (the stream confirms them for everyone else). */
  const update = useCallback((fn: (rows: EditRow[]) => EditRow[]) => setRows((prev) => fn(prev)), []);

  return { rows, status, paused, waiting, arrived, togglePause, update };
}
