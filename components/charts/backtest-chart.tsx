"use client";

import { CartesianGrid, ComposedChart, Line, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { BacktestPeak, BacktestPoint } from "@/lib/pipeline/backtest";
import { useTimeAxis } from "./use-time-axis";

export const backtestColors = {
  count: "#1f5fbf",
  current: "#56606d",
  proposed: "#b42318",
  added: "#1d7a3a",
  removed: "#b42318",
  kept: "#111a26",
} as const;

type Marker = BacktestPeak & { change: "added" | "removed" | "kept" };

function BacktestTooltip({ active, payload, timeZone }: Partial<TooltipContentProps<number, string>> & { timeZone: string }) {
  const point = payload?.[0]?.payload as BacktestPoint | undefined;
  if (!active || !point) return null;
  const format = (value: number | null) => (value === null ? "too little history" : Math.round(value).toLocaleString("en-US"));
  return (
    <div className="chart-tooltip">
      <strong>{new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(point.windowStart)}</strong>
      <dl>
        <dt>Errors</dt>
        <dd>{point.count.toLocaleString("en-US")}</dd>
        <dt>Peak at (in force)</dt>
        <dd>{format(point.currentThreshold)}</dd>
        <dt>Peak at (proposed)</dt>
        <dd>{format(point.proposedThreshold)}</dd>
      </dl>
    </div>
  );
}

/** One namespace over the backtest range: errors, the threshold each set requires, and which peaks the proposal adds or removes. */
export function BacktestChart({
  points,
  added,
  removed,
  kept,
  from,
  to,
  bucketMinutes,
  timeZone,
  label,
  height = 280,
}: {
  points: readonly BacktestPoint[];
  added: readonly BacktestPeak[];
  removed: readonly BacktestPeak[];
  kept: readonly BacktestPeak[];
  from: number;
  to: number;
  bucketMinutes: number;
  timeZone: string;
  label: string;
  height?: number;
}) {
  const timeAxis = useTimeAxis(from, to, timeZone);
  const markers: Marker[] = [
    ...kept.map((peak) => ({ ...peak, change: "kept" as const })),
    ...removed.map((peak) => ({ ...peak, change: "removed" as const })),
    ...added.map((peak) => ({ ...peak, change: "added" as const })),
  ];
  return (
    <figure className="chart" role="group" aria-label={label}>
      <div aria-hidden="true" style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%" onResize={timeAxis.onResize}>
          <ComposedChart data={[...points]} margin={{ top: 10, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e3e7ec" vertical={false} />
            <XAxis dataKey="start" {...timeAxis.xAxisProps} />
            <YAxis width={48} stroke="#56606d" fontSize={12} allowDecimals={false} />
            <Tooltip content={<BacktestTooltip timeZone={timeZone} />} isAnimationActive={false} />
            <Line
              dataKey="currentThreshold"
              name="Threshold in force"
              stroke={backtestColors.current}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="proposedThreshold"
              name="Proposed threshold"
              stroke={backtestColors.proposed}
              strokeDasharray="2 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line dataKey="count" name="Errors" stroke={backtestColors.count} strokeWidth={1.5} dot={false} isAnimationActive={false} />
            {markers.map((marker) => (
              <ReferenceDot
                key={`${marker.change}-${marker.start}`}
                x={marker.start}
                y={marker.count}
                r={marker.change === "kept" ? 4 : 6}
                fill={marker.change === "removed" ? "#fff" : backtestColors[marker.change]}
                stroke={backtestColors[marker.change]}
                strokeWidth={2}
                ifOverflow="extendDomain"
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-legend">
        <span>
          <i style={{ background: backtestColors.count }} /> Errors per {bucketMinutes > 15 ? `${bucketMinutes} min (busiest window)` : "window"}
        </span>
        <span>
          <i className="dashed" style={{ borderColor: backtestColors.current }} /> Threshold in force
        </span>
        <span>
          <i className="dashed" style={{ borderColor: backtestColors.proposed }} /> Proposed threshold
        </span>
        <span>
          <i className="dot" style={{ background: backtestColors.added }} /> Added peak ({added.length})
        </span>
        <span>
          <i className="dot" style={{ background: "#fff", border: `2px solid ${backtestColors.removed}` }} /> Removed peak ({removed.length})
        </span>
        <span>
          <i className="dot" style={{ background: backtestColors.kept }} /> Peak either way ({kept.length})
        </span>
      </figcaption>
    </figure>
  );
}
