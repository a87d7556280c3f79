"use client";

import { Area, AreaChart, YAxis } from "recharts";
import { useIsBrowser } from "./use-is-browser";

/** Size of a sparkline in a table row (px). */
export const sparklineConfig = { width: 96, height: 28 } as const;

/** Stroke per trend direction; CSS variables from the global stylesheet. */
const TONE: Record<string, string> = {
  rising: "var(--danger)",
  falling: "var(--ok)",
  new: "var(--accent)",
  steady: "var(--muted)",
};

/** One row per day, oldest first, for the chart. */
export function toSparklineRows(series: readonly number[]): { index: number; count: number }[] {
  return series.map((count, index) => ({ index, count }));
}

/**
 * A small area chart of daily counts, without axes or interaction. The chart is hidden from
 * assistive technology; `label` is its text alternative (e.g. "rising: 120 → 340").
 */
export function PatternSparkline({ series, direction, label }: { series: readonly number[]; direction: string; label: string }) {
  const color = TONE[direction] ?? TONE.steady;
  // The box alone on the server (see useIsBrowser): recharts would render it empty there anyway.
  const isBrowser = useIsBrowser();
  return (
    <div className="pattern-sparkline" role="img" aria-label={label} title={label}>
      {isBrowser ? (
        <AreaChart
          width={sparklineConfig.width}
          height={sparklineConfig.height}
          data={toSparklineRows(series)}
          margin={{ top: 2, right: 0, bottom: 2, left: 0 }}
          accessibilityLayer={false}
          aria-hidden="true"
        >
          {/* Zero at the bottom, so that a flat line at zero reads as silence. */}
          <YAxis hide domain={[0, "auto"]} />
          <Area type="monotone" dataKey="count" stroke={color} fill={color} fillOpacity={0.15} strokeWidth={1.5} isAnimationActive={false} dot={false} />
        </AreaChart>
      ) : null}
    </div>
  );
}
