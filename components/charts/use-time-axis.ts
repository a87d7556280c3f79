"use client";

import { useMemo, useState } from "react";
import { ticksForWidth, timeTicks } from "./time-ticks";

/** Width of the axis' labels' room left of the plot (the y axis) and right of it (the chart's margin), px. */
const AXIS_SIDES_PX = 64;

/**
 * The x axis of a time chart: ticks on round local times of the timezone, as many as the chart's
 * width holds (measured by its ResponsiveContainer's onResize), with their words; `xAxisProps`
 * are the XAxis's props but its dataKey, the same on every time chart.
 */
export function useTimeAxis(from: number, to: number, timeZone: string) {
  const [width, setWidth] = useState(720);
  const ticks = useMemo(() => timeTicks(from, to, timeZone, ticksForWidth(width - AXIS_SIDES_PX)), [from, to, timeZone, width]);
  const labels = useMemo(() => new Map(ticks.map((tick) => [tick.value, tick.label])), [ticks]);
  const tickValues = ticks.map((tick) => tick.value);
  const tickFormatter = (value: number) => labels.get(value) ?? "";
  return {
    ticks: tickValues,
    tickFormatter,
    xAxisProps: {
      type: "number",
      scale: "time",
      domain: [from, to],
      ticks: tickValues,
      tickFormatter,
      interval: "preserveStartEnd",
      minTickGap: 8,
      stroke: "#56606d",
      fontSize: 12,
    } as const,
    onResize: (nextWidth: number) => {
      if (nextWidth > 0 && Math.abs(nextWidth - width) >= 1) setWidth(nextWidth);
    },
  };
}
