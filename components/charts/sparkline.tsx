"use client";

import { Area, ComposedChart, Line, XAxis, YAxis } from "recharts";
import type { SparklinePoint } from "@/lib/namespaces/contract";
import { chartColors, toChartRows } from "./baseline-chart";
import { useIsBrowser } from "./use-is-browser";

export type SparklineProps = {
  points: readonly SparklinePoint[];
  /** What the drawing shows, read instead of it ("412 errors in 24 h, expected about 300"). */
  label: string;
  width?: number;
  height?: number;
};

/**
 * A small errors-against-baseline chart without axes: the band and the mean behind the count.
 * A fixed size rather than a responsive container, since a list can hold dozens of them.
 */
export function Sparkline({ points, label, width = 168, height = 36 }: SparklineProps) {
  // The box alone on the server (see useIsBrowser): recharts would render it empty there anyway.
  const isBrowser = useIsBrowser();
  return (
    <div className="sparkline" role="img" aria-label={label} style={{ width, height }}>
      {isBrowser ? (
        <ComposedChart width={width} height={height} data={toChartRows(points)} margin={{ top: 2, right: 1, bottom: 2, left: 1 }} accessibilityLayer={false}>
          <XAxis dataKey="start" type="number" domain={["dataMin", "dataMax"]} hide />
          <YAxis hide domain={[0, "auto"]} />
          <Area dataKey="band" stroke="none" fill={chartColors.band} fillOpacity={0.7} isAnimationActive={false} />
          <Line dataKey="mean" stroke={chartColors.mean} strokeWidth={1} strokeDasharray="3 2" dot={false} isAnimationActive={false} />
          <Line dataKey="count" stroke={chartColors.actual} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        </ComposedChart>
      ) : null}
    </div>
  );
}
