import { dateTimeFormat, formatCount, formatDateTime } from "@/lib/format";
import { formatSpan } from "./time-words";

/** A gap of a chart: windows of the namespace no source covered, `[from, to)` in UTC ms. */
export type SeriesGap = { from: number; to: number; windows: number };

/** A gap in words: "27 Nov 2026, 02:00–04:15 (2 h 15 min, 9 windows without data)". */
export function describeSeriesGap(gap: SeriesGap, timeZone: string): string {
  const day = dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const time = dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const from = formatDateTime(new Date(gap.from).toISOString(), timeZone);
  // The end is exclusive: a gap ending at midnight ends on its first day.
  const to = day.format(gap.from) === day.format(gap.to - 1) ? time.format(gap.to) : formatDateTime(new Date(gap.to).toISOString(), timeZone);
  const separator = to.length > 5 ? " – " : "–";
  return `${from}${separator}${to} (${formatSpan(gap.to - gap.from)}, ${formatCount(gap.windows)} ${gap.windows === 1 ? "window" : "windows"} without data)`;
}

/** The gaps of a chart in a phrase for its summary: "no data for 2 h 15 min in 2 gaps"; null without gaps. */
export function summarizeSeriesGaps(gaps: readonly SeriesGap[]): string | null {
  if (gaps.length === 0) return null;
  const totalMs = gaps.reduce((sum, gap) => sum + (gap.to - gap.from), 0);
  return `no data for ${formatSpan(totalMs)} in ${formatCount(gaps.length)} ${gaps.length === 1 ? "gap" : "gaps"}`;
}
