import type { PatternTrend } from "@/lib/patterns/contract";
import { formatCount } from "@/lib/format";

const ARROW: Record<PatternTrend["direction"], string> = { rising: "↑", falling: "↓", new: "★", steady: "→" };

/** The trend in words, for text alternatives: "rising: 120 → 340 in 14 days". */
export function trendText(trend: PatternTrend, days: number): string {
  return `${trend.direction}: ${formatCount(trend.previous)} → ${formatCount(trend.current)} in ${days} ${days === 1 ? "day" : "days"}`;
}

/**
 * The trend as a sentence: "2,713 in the last 30 days, first seen in them", "…, against 120 in
 * the 30 before", or "…, no patterns counted before them" when there is nothing to compare with.
 */
export function trendSentence(trend: PatternTrend, days: number): string {
  const current = `${formatCount(trend.current)} in the last ${days} ${days === 1 ? "day" : "days"}`;
  if (!trend.hasHistory) return `${current}, no patterns counted before them to compare with`;
  return trend.direction === "new" ? `${current}, first seen in them` : `${current}, against ${formatCount(trend.previous)} in the ${days} before`;
}

/** The trend's direction with an arrow and, when known, the factor of change ("↑ rising ×2.8"). */
export function TrendLabel({ trend }: { trend: PatternTrend }) {
  const factor =
    trend.ratio !== null && (trend.direction === "rising" || trend.direction === "falling")
      ? ` ×${trend.ratio < 10 ? trend.ratio.toFixed(1) : Math.round(trend.ratio)}`
      : "";
  return (
    <span className={`pattern-trend pattern-trend-${trend.direction}`}>
      <span aria-hidden="true">{ARROW[trend.direction]} </span>
      {trend.direction}
      {factor}
    </span>
  );
}
