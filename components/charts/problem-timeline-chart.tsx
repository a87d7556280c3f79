"use client";

import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import { dateTimeFormat, formatCount } from "@/lib/format";
import { useTimeAxis } from "./use-time-axis";

/** One incident of a problem as the timeline marks it: at its start, on its namespace's row, sized by its errors. */
export type TimelineMark = { key: string; namespace: string; startMs: number; endMs: number; windows: number; errors: number };

export const problemTimelineConfig = {
  /** Height of one namespace's row and of the axis below them, px. */
  rowHeight: 36,
  axisHeight: 40,
  /** Mark areas (px²) of the fewest and the most errors. */
  markArea: [60, 360] as [number, number],
  color: "var(--accent)",
} as const;

/** Rows of the chart: each mark with its namespace's row index (the y axis is the namespaces, in the given order). */
export function toTimelineRows(marks: readonly TimelineMark[], namespaces: readonly string[]) {
  const rowOf = new Map(namespaces.map((namespace, index) => [namespace, index]));
  return marks.map((mark) => ({ ...mark, row: rowOf.get(mark.namespace) ?? 0 }));
}

type Row = ReturnType<typeof toTimelineRows>[number];

function MarkTooltip({ active, payload, timeZone }: { active?: boolean; payload?: readonly { payload?: Row }[]; timeZone: string }) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  const time = dateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="chart-tooltip">
      <strong>{row.namespace}</strong>
      <div>
        {time.format(row.startMs)} – {time.format(row.endMs)}
      </div>
      <div>
        {formatCount(row.errors)} errors in {formatCount(row.windows)} {row.windows === 1 ? "window" : "windows"}
      </div>
    </div>
  );
}

/**
 * A problem's incidents over its period: one mark per incident at its start, on its namespace's
 * row, bigger for more errors. A picture only: `label` names it, and the page lists the same
 * incidents in a table for the keyboard and assistive technology.
 */
export function ProblemTimelineChart({
  marks,
  namespaces,
  fromMs,
  toMs,
  timeZone,
  label,
}: {
  marks: readonly TimelineMark[];
  /** The rows, top first. */
  namespaces: readonly string[];
  fromMs: number;
  toMs: number;
  timeZone: string;
  label: string;
}) {
  const timeAxis = useTimeAxis(fromMs, toMs, timeZone);
  const rows = toTimelineRows(marks, namespaces);
  const height = problemTimelineConfig.axisHeight + problemTimelineConfig.rowHeight * Math.max(1, namespaces.length);
  return (
    <figure className="chart problem-timeline" role="img" aria-label={label}>
      <div aria-hidden="true" style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%" onResize={timeAxis.onResize}>
          <ScatterChart margin={{ top: 10, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e3e7ec" />
            <XAxis dataKey="startMs" {...timeAxis.xAxisProps} />
            <YAxis
              dataKey="row"
              type="number"
              domain={[-0.5, Math.max(0, namespaces.length - 1) + 0.5]}
              ticks={namespaces.map((_, index) => index)}
              tickFormatter={(index: number) => namespaces[index] ?? ""}
              reversed
              width={96}
              interval={0}
              stroke="#56606d"
              fontSize={12}
            />
            <ZAxis dataKey="errors" range={problemTimelineConfig.markArea} />
            <Tooltip content={<MarkTooltip timeZone={timeZone} />} cursor={false} />
            <Scatter data={rows} fill={problemTimelineConfig.color} fillOpacity={0.75} isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
