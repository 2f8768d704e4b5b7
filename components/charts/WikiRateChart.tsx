'use client';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

const COLOURS = ['#2747b0', '#b00020', '#1d6b3a', '#8a5a00', '#6b2fa0', '#5a6070'];

/** Edits per minute, one line per wiki. */
export function WikiRateChart({ data, wikis }: { data: ({ t: number } & Record<string, number>)[]; wikis: string[] }) {
  return (
    <LineChart accessibilityLayer={false} responsive style={{ width: '100%', height: 240 }} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#d9dce3" />
      <XAxis dataKey="t" tickFormatter={(t: number) => new Date(t).toISOString().slice(11, 16)} fontSize={12} minTickGap={24} />
      <YAxis allowDecimals={false} fontSize={12} />
      <Tooltip labelFormatter={(t) => new Date(Number(t)).toISOString().slice(11, 16) + ' UTC'} />
      <Legend />
      {wikis.map((w, i) => (
        <Line key={w} dataKey={w} name={w} stroke={COLOURS[i % COLOURS.length]} dot={false} isAnimationActive={false} />
      ))}
    </LineChart>
  );
}
