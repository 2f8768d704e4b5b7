'use client';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';

/** Horizontal or vertical bars of labelled counts (score bins, pages). Labels are rendered as SVG text only. */
export function BarsChart({ data, layout = 'columns', height = 200 }: { data: { label: string; value: number }[]; layout?: 'columns' | 'rows'; height?: number }) {
  const rows = layout === 'rows';
  return (
    <BarChart accessibilityLayer={false} responsive style={{ width: '100%', height: height }} data={data} layout={rows ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 8, bottom: 0, left: rows ? 8 : -16 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#d9dce3" />
      {rows ? (
        <>
          <XAxis type="number" allowDecimals={false} fontSize={12} />
          <YAxis type="category" dataKey="label" width={160} fontSize={11} tickFormatter={(s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s)} />
        </>
      ) : (
        <>
          <XAxis dataKey="label" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
        </>
      )}
      <Tooltip />
      <Bar dataKey="value" name="edits" fill="#2747b0" isAnimationActive={false} />
    </BarChart>
  );
}
