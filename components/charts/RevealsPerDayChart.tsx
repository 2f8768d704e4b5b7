'use client';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';

const COLOURS = ['#2747b0', '#b0276e', '#1f8a5b', '#c26a00', '#6a3fb5', '#00838f', '#8d6e00', '#5d4037'];

/** Reveals per holder per day, one stacked bar per day (holder names are SVG text only). */
export function RevealsPerDayChart({ points, holders }: { points: Record<string, number | string>[]; holders: string[] }) {
  return (
    <BarChart accessibilityLayer={false} responsive style={{ width: '100%', height: 240 }} data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#d9dce3" />
      <XAxis dataKey="day" fontSize={11} tickFormatter={(d: string) => d.slice(5)} />
      <YAxis allowDecimals={false} fontSize={12} />
      <Tooltip />
      <Legend />
      {holders.map((h, i) => (
        <Bar key={h} dataKey={h} stackId="reveals" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
