"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

export const trendChartConfig = { height: 240, color: "var(--accent)" } as const;

export type TrendChartPoint = { day: string; occurrences: number };

const DAY_LABEL = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** "3 Nov" for a YYYY-MM-DD day (a UTC day: it is shown as it is, whatever the timezone). */
export function formatDayLabel(day: string): string {
  return DAY_LABEL.format(new Date(`${day}T00:00:00Z`));
}

/** Rows for the chart: each day with its label. */
export function toTrendChartRows(points: readonly TrendChartPoint[]): { day: string; label: string; occurrences: number }[] {
  return points.map((point) => ({ day: point.day, label: formatDayLabel(point.day), occurrences: point.occurrences }));
}

/** Occurrences per day as bars, oldest on the left; `title` names the chart for assistive technology. */
export function PatternTrendChart({ points, title }: { points: readonly TrendChartPoint[]; title: string }) {
  return (
    <div className="pattern-trend-chart">
      <BarChart
        responsive
        style={{ width: "100%", height: trendChartConfig.height }}
        data={toTrendChartRows(points)}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        title={title}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" tickLine={false} interval="preserveStartEnd" minTickGap={16} fontSize={12} />
        <YAxis allowDecimals={false} width={48} fontSize={12} tickLine={false} />
        <Tooltip cursor={{ fill: "rgb(31 95 191 / 0.08)" }} formatter={(value) => [value, "occurrences"]} />
        <Bar dataKey="occurrences" fill={trendChartConfig.color} isAnimationActive={false} maxBarSize={28} />
      </BarChart>
    </div>
  );
}
