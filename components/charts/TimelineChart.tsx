'use client';
import { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';

export interface TimelineDatum {
  t: number;
  edits: number;
  maxScore?: number | null;
}

const fmt = (unit: 'hour' | 'day' | 'minute', t: number) => {
  const iso = new Date(t).toISOString();
  return unit === 'day' ? iso.slice(5, 10) : iso.slice(11, 16);
};

/** Edits per bin as bars, with the highest score of each bin as a line on a 0–1 axis (when given). */
export function TimelineChart({ data, unit, withScore = true }: { data: TimelineDatum[]; unit: 'hour' | 'day' | 'minute'; withScore?: boolean }) {
  return (
    <ComposedChart accessibilityLayer={false} responsive style={{ width: '100%', height: 220 }} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#d9dce3" />
      <XAxis dataKey="t" tickFormatter={(t: number) => fmt(unit, t)} fontSize={12} minTickGap={24} />
      <YAxis yAxisId="edits" allowDecimals={false} fontSize={12} />
      {withScore ? <YAxis yAxisId="score" orientation="right" domain={[0, 1]} fontSize={12} /> : null}
      <Tooltip labelFormatter={(t) => new Date(Number(t)).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'} />
      <Bar yAxisId="edits" dataKey="edits" name="edits" fill="#2747b0" isAnimationActive={false} />
      {withScore ? (
        <Line yAxisId="score" dataKey="maxScore" name="highest score" stroke="#b00020" dot={false} isAnimationActive={false} connectNulls />
      ) : null}
    </ComposedChart>
  );
}
