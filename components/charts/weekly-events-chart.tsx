"use client";

// Events per week, stacked by lane (adversary above response), for the executive dashboard. Loaded
// lazily; the numbers are also in a table beside it.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface WeeklyEventsChartProps {
  buckets: Array<{ start: string; adversary: number; response: number }>;
}

const LANE_COLOURS = { adversary: "#dc2626", response: "#0284c7" } as const;

const tick = (iso: string) => iso.slice(0, 10);

export default function WeeklyEventsChart({ buckets }: WeeklyEventsChartProps) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart
        data={buckets}
        margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
        // Shown to sighted users only (aria-hidden): the table beside it is the text alternative, so the
        // chart must not take keyboard focus either.
        accessibilityLayer={false}
      >
        <CartesianGrid
          strokeDasharray="3 3"
          className="stroke-slate-200 dark:stroke-slate-800"
          vertical={false}
        />
        <XAxis
          dataKey="start"
          tickFormatter={tick}
          tick={{ fontSize: 11, fill: "currentColor" }}
          minTickGap={24}
        />
        <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "currentColor" }} width={40} />
        <Tooltip
          labelFormatter={(value) => `Week of ${tick(String(value))}`}
          contentStyle={{ fontSize: 12, color: "#0f172a" }}
          cursor={{ fillOpacity: 0.1 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          dataKey="adversary"
          name="Adversary"
          stackId="lanes"
          fill={LANE_COLOURS.adversary}
          isAnimationActive={false}
        />
        <Bar
          dataKey="response"
          name="Response"
          stackId="lanes"
          fill={LANE_COLOURS.response}
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
