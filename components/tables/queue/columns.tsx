'use client';

import Link from 'next/link';
import { columnVisibilityFeature, createColumnHelper, createSortedRowModel, rowSortingFeature, tableFeatures, type Row } from '@tanstack/react-table';
import type { EditRow } from '@/lib/edits/queries';
import { messages } from '@/lib/messages';
import { RowActions, type RowActionHandlers } from './row-actions';

/** Features of the queue table (TanStack Table v9: declared once, statically). */
export const features = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  sortedRowModel: createSortedRowModel(),
});
export type QueueFeatures = typeof features;

const t = messages.queue;
const helper = createColumnHelper<QueueFeatures, EditRow>();

/** null last whichever the direction's sign: compare numbers with null as −∞ */
function numeric(get: (r: EditRow) => number | null) {
  return (a: Row<QueueFeatures, EditRow>, b: Row<QueueFeatures, EditRow>) =>
    (get(a.original) ?? Number.NEGATIVE_INFINITY) - (get(b.original) ?? Number.NEGATIVE_INFINITY);
}

export const actorHref = (r: EditRow) => `/actors/${encodeURIComponent(r.actorKey)}`;
export const rangeHref = (key: string) => `/ranges/${encodeURIComponent(key)}`;
export const clusterHref = (id: string) => `/clusters/${encodeURIComponent(id)}`;

function size(d: number | null): string {
  return d === null ? '?' : d > 0 ? `+${d}` : String(d);
}

/** The columns; ids are what the column-visibility menu and sorting state use. */
export function queueColumns(actions: RowActionHandlers) {
  return helper.columns([
    helper.accessor('wiki', { id: 'wiki', header: t.columns.wiki, cell: (c) => c.getValue() }),
    helper.accessor('ts', {
      id: 'time',
      header: t.columns.time,
      sortDescFirst: true,
      sortFn: (a, b) => (a.original.ts < b.original.ts ? -1 : a.original.ts > b.original.ts ? 1 : Number(BigInt(a.original.id) - BigInt(b.original.id))),
      cell: (c) => (
        <time dateTime={c.getValue()} title={c.getValue()}>
          {c.getValue().slice(0, 19).replace('T', ' ')}
        </time>
      ),
    }),
    helper.accessor('title', {
      id: 'page',
      header: t.columns.page,
      enableSorting: false,
      cell: ({ row: { original: e } }) => (
        <span dir="auto">
          {e.diffUrl ? (
            <a href={e.diffUrl} rel="noreferrer noopener" target="_blank">
              {e.title}
            </a>
          ) : (
            e.title
          )}
          {e.isNew ? <span className="tag"> {t.isNew}</span> : null}
        </span>
      ),
    }),
    helper.accessor('actorName', {
      id: 'editor',
      header: t.columns.editor,
      enableSorting: false,
      cell: ({ row: { original: e } }) => (
        <>
          <Link href={actorHref(e)} dir="auto" className={e.actorKind === 'ip' ? 'mono' : undefined} prefetch={false}>
            {e.actorName}
          </Link>
          {e.isBot ? <span className="tag"> {t.bot}</span> : null}
          {e.whitelisted ? <span className="badge trusted">{t.trusted}</span> : null}
          {e.net ? (
            <span className={`badge net ${e.net.type}`} title={t.netTitle(e.net.asn, e.net.org)} data-testid="net-badge">
              {t.netBadge(e.net.country, e.net.type)}
              {e.net.anon ? ` · ${e.net.anon}` : ''}
            </span>
          ) : null}
          {e.block ? (
            <Link href={`/blocks#block-${e.block.id}`} className="badge evasion" title={t.evasionTitle(e.block.label)} prefetch={false}>
              {t.evasion}
            </Link>
          ) : null}
        </>
      ),
    }),
    helper.accessor((r) => r.ranges.join(' '), {
      id: 'ranges',
      header: t.columns.ranges,
      enableSorting: false,
      cell: ({ row: { original: e } }) => (
        <span className="badges">
          {e.rangeLinks.map((l) => (
            <Link key={l.key} href={rangeHref(l.key)} className="badge mono" prefetch={false}>
              {l.label}
            </Link>
          ))}
        </span>
      ),
    }),
    helper.accessor('sizeDelta', { id: 'size', header: t.columns.size, sortFn: numeric((r) => r.sizeDelta), cell: (c) => size(c.getValue()) }),
    helper.accessor('score', {
      id: 'score',
      header: t.columns.score,
      sortDescFirst: true,
      sortFn: numeric((r) => r.score),
      cell: ({ row: { original: e } }) =>
        e.score === null ? (
          '—'
        ) : (
          <>
            <span title={e.factors.join('\n') || t.noFactors} className={e.score >= 0.7 ? 'risk high' : e.score >= 0.4 ? 'risk mid' : 'risk'}>
              {e.score.toFixed(2)}
            </span>
            <span className="sr-only">{`: ${e.factors.join('; ') || t.noFactors}`}</span>
          </>
        ),
    }),
    helper.accessor((r) => r.cluster?.label ?? '', {
      id: 'cluster',
      header: t.columns.cluster,
      enableSorting: false,
      cell: ({ row: { original: e } }) =>
        e.cluster ? (
          <Link href={clusterHref(e.cluster.id)} className="badge" data-testid="cluster-badge" prefetch={false}>
            {e.cluster.label}
          </Link>
        ) : null,
    }),
    helper.accessor((r) => (r.review ? 1 : 0), {
      id: 'reviewed',
      header: t.columns.reviewed,
      enableSorting: false,
      cell: ({ row: { original: e } }) => (
        <span data-testid="review-state" className={e.review ? 'reviewed' : 'unreviewed'} dir="auto">
          {e.review ? t.reviewedBy(e.review.by) : t.unreviewed}
        </span>
      ),
    }),
    helper.accessor((r) => r.comment ?? '', {
      id: 'summary',
      header: t.columns.summary,
      enableSorting: false,
      cell: (c) => <span dir="auto">{c.getValue()}</span>,
    }),
    helper.display({
      id: 'actions',
      header: t.columns.actions,
      enableHiding: false,
      cell: ({ row: { original: e } }) => <RowActions row={e} {...actions} />,
    }),
  ]);
}
