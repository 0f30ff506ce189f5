"use client";

// Keeps the chart library out of the dashboard's first load: it arrives in its own chunk after the page.
import dynamic from "next/dynamic";
import type { WeeklyEventsChartProps } from "../charts/weekly-events-chart";
import { Skeleton } from "../ui/skeleton";

const WeeklyEventsChart = dynamic(() => import("../charts/weekly-events-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-[220px] w-full" />,
});

export function WeeklyEventsChartLazy(props: WeeklyEventsChartProps) {
  return <WeeklyEventsChart {...props} />;
}
