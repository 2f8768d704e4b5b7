import { cleanFilters, trailRows, type TrailFilters, type TrailRow } from '../reveal/queries';
import { executeVerb, type ServiceContext } from './verb';

/**
 * Export of the reveal trail (CSV or JSON) for stewards and the ombuds; the export is itself audited
 * ('reveal.export' with the filters and the row count). The trail holds no address, so neither does this.
 */
export type ExportFormat = 'csv' | 'json';

const COLUMNS: (keyof TrailRow)[] = [
  'id',
  'createdAt',
  'holderName',
  'targetType',
  'targetLabel',
  'targetKey',
  'wikis',
  'reasonCategory',
  'reasonText',
  'caseRef',
  'ipCount',
  'bulk',
  'reviewOutcome',
  'reviewNote',
  'reviewedByName',
];

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: TrailRow[]): string {
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))].join('\r\n') + '\r\n';
}

export async function exportReveals(
  ctx: ServiceContext,
  input: { format?: unknown; filters?: TrailFilters },
): Promise<{ filename: string; contentType: string; body: string; rows: number }> {
  const format: ExportFormat = input.format === 'json' ? 'json' : 'csv';
  const filters = cleanFilters(input.filters ?? {});
  return executeVerb(ctx, {
    action: 'reveal.export',
    permission: 'reveal.manage',
    wiki: '*',
    async run(tx) {
      const rows = await trailRows(tx, filters, 10_000);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      const body = format === 'json' ? JSON.stringify({ exportedAt: new Date().toISOString(), filters, reveals: rows }, null, 2) : toCsv(rows);
      return {
        result: {
          filename: `maskpatrol-reveals-${stamp}.${format}`,
          contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
          body,
          rows: rows.length,
        },
        audit: { targetType: 'reveal-trail', after: { format, rows: rows.length, filters } },
      };
    },
  });
}
