"use client";

// The two-lane picture of an incident: the intruder's actions above the axis, the defenders' below,
// milestones as labelled lines and the detection gap shaded. Dragging the brush zooms the list below.
import { useMemo, useRef } from "react";
import {
  Bar,
  Brush,
  CartesianGrid,
  ComposedChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { PHASE_COLOURS } from "./phase-colours";

export interface ChartBucket {
  start: string;
  adversary: number;
  response: number;
  phases: Partial<Record<string, { adversary: number; response: number }>>;
}

export interface ChartMilestone {
  label: string;
  at: string;
}

export interface TimelineChartProps {
  buckets: ChartBucket[];
  from: string;
  to: string;
  bucketSeconds: number;
  milestones: ChartMilestone[];
  gap: { from: string; to: string; label: string } | null;
  formatTick: (ms: number) => string;
  /** The zoomed range from the URL, shown as the brush's selection. */
  selection: { from?: string; to?: string };
  /** Ids of the elements that name and describe the chart (its heading and its caption). */
  labelledBy?: string;
  describedBy?: string;
  onZoom: (range: { from: string; to: string }) => void;
}

interface Point {
  /** Middle of the bucket, where its bar is drawn. */
  t: number;
  adversary: number;
  response: number;
  /** `adversary:<phase>` counts up, `response:<phase>` counts down (negative). */
  [series: string]: number;
}

/** Every bucket between from and to, empty ones included, so the time axis is continuous. */
function fillBuckets(buckets: ChartBucket[], from: string, to: string, bucketSeconds: number): Point[] {
  const step = bucketSeconds * 1000;
  const counts = new Map(buckets.map((b) => [Date.parse(b.start), b]));
  const first = buckets.length > 0 ? Math.min(...counts.keys()) : Date.parse(from);
  const start = first - Math.ceil((first - Date.parse(from)) / step) * step;
  const end = Date.parse(to);
  const points: Point[] = [];
  for (let t = start; t <= end && points.length < 2000; t += step) {
    const bucket = counts.get(t);
    const point: Point = {
      t: t + step / 2,
      adversary: bucket?.adversary ?? 0,
      response: -(bucket?.response ?? 0),
    };
    for (const [phase, split] of Object.entries(bucket?.phases ?? {})) {
      if (split?.adversary) point[`adversary:${phase}`] = split.adversary;
      if (split?.response) point[`response:${phase}`] = -split.response;
    }
    points.push(point);
  }
  return points;
}

export default function TimelineChart(props: TimelineChartProps) {
  const {
    buckets,
    from,
    to,
    bucketSeconds,
    milestones,
    gap,
    formatTick,
    selection,
    onZoom,
    labelledBy,
    describedBy,
  } = props;
  const data = useMemo(
    () => fillBuckets(buckets, from, to, bucketSeconds),
    [buckets, from, to, bucketSeconds],
  );
  // Stacked series in phase order, only for (lane, phase) pairs that occur.
  const series = useMemo(() => {
    const present = new Set(
      buckets.flatMap((b) =>
        Object.entries(b.phases).flatMap(([phase, split]) => [
          ...(split?.adversary ? [`adversary:${phase}`] : []),
          ...(split?.response ? [`response:${phase}`] : []),
        ]),
      ),
    );
    return ["adversary", "response"].flatMap((lane) =>
      Object.keys(PHASE_COLOURS)
        .map((phase) => `${lane}:${phase}`)
        .filter((key) => present.has(key)),
    );
  }, [buckets]);
  const zoomTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Stacked bars need the axis to reach the tallest stack on each side of the line.
  const up = Math.max(1, ...data.map((p) => p.adversary));
  const down = Math.max(1, ...data.map((p) => -p.response));
  const indexAt = (iso: string | undefined, fallback: number) => {
    if (!iso) return fallback;
    const t = Date.parse(iso);
    const index = data.findIndex((point) => point.t + (bucketSeconds * 1000) / 2 > t);
    return index === -1 ? fallback : index;
  };
  const startIndex = indexAt(selection.from, 0);
  const endIndex = Math.max(startIndex, indexAt(selection.to, data.length - 1));
  // Each milestone label gets its own row, so labels of nearby milestones never overlap.
  const labelRow = 14;
  const top = 16 + milestones.length * labelRow;

  return (
    <ResponsiveContainer width="100%" height={240 + top}>
      <ComposedChart
        data={data}
        margin={{ top, right: 24, bottom: 8, left: 0 }}
        stackOffset="sign"
        // The chart is a keyboard stop (arrow keys move the tooltip): it needs a name.
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
      >
        <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={formatTick}
          tick={{ fontSize: 12, fill: "currentColor" }}
          minTickGap={24}
        />
        <YAxis
          tickFormatter={(value: number) => String(Math.abs(value))}
          tick={{ fontSize: 12, fill: "currentColor" }}
          allowDecimals={false}
          domain={[-down, up]}
          width={36}
        />
        <Tooltip
          labelFormatter={(value) => formatTick(Number(value))}
          formatter={(value, name) => {
            const [lane, phase] = String(name).split(":");
            return [Math.abs(Number(value)), `${lane === "adversary" ? "Adversary" : "Response"}, ${phase}`];
          }}
          contentStyle={{ fontSize: 12, color: "#0f172a" }}
        />
        {gap ? (
          <ReferenceArea
            x1={Date.parse(gap.from)}
            x2={Date.parse(gap.to)}
            fill="#f59e0b"
            fillOpacity={0.15}
            label={{ value: gap.label, position: "insideTop", fontSize: 12, fill: "currentColor" }}
          />
        ) : null}
        <ReferenceLine y={0} stroke="currentColor" strokeOpacity={0.4} />
        {series.map((key) => (
          <Bar
            key={key}
            dataKey={key}
            name={key}
            stackId="lanes"
            fill={PHASE_COLOURS[key.split(":")[1] ?? ""] ?? "#64748b"}
            isAnimationActive={false}
          />
        ))}
        {milestones.map((m, index) => (
          <ReferenceLine
            key={m.label}
            x={Date.parse(m.at)}
            stroke="#4f46e5"
            strokeDasharray="4 2"
            label={{
              value: m.label,
              position: "top",
              offset: 4 + (milestones.length - 1 - index) * labelRow,
              fontSize: 11,
              fill: "currentColor",
            }}
          />
        ))}
        {data.length > 2 ? (
          <Brush
            dataKey="t"
            height={24}
            tickFormatter={formatTick}
            stroke="#4f46e5"
            startIndex={startIndex}
            endIndex={endIndex}
            onChange={(range) => {
              const start = data[range.startIndex ?? 0];
              const end = data[range.endIndex ?? data.length - 1];
              if (!start || !end) return;
              clearTimeout(zoomTimer.current);
              zoomTimer.current = setTimeout(
                () =>
                  onZoom({
                    from: new Date(start.t - (bucketSeconds * 1000) / 2).toISOString(),
                    to: new Date(end.t + (bucketSeconds * 1000) / 2 - 1).toISOString(),
                  }),
                400,
              );
            }}
          />
        ) : null}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
