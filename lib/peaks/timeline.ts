import { dateTimeFormat } from "@/lib/format";
import { createWindowGrid } from "@/lib/pipeline/time";

/** The local calendar day (YYYY-MM-DD) of an instant in the timezone. */
export function localDayOf(iso: string, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
}

/** The local wall-clock time of an instant, "14:15". */
export function formatLocalTime(iso: string, timeZone: string): string {
  return dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

const dayHeading = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });

/** A local day (YYYY-MM-DD) as a heading, "Tuesday 24 November 2026". */
export function formatLocalDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  // Noon UTC of the date, formatted in UTC, is that date whatever the viewer's own timezone.
  return dayHeading.format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1, 12))).replace(",", "");
}

export type DayGroup<Peak> = { day: string; peaks: Peak[] };

/** Peaks grouped by their local day, keeping their order (the timeline's: newest first); one group per day. */
export function groupByLocalDay<Peak extends { timestamp: string }>(peaks: readonly Peak[], timeZone: string): DayGroup<Peak>[] {
  const groups: DayGroup<Peak>[] = [];
  const byDay = new Map<string, DayGroup<Peak>>();
  for (const peak of peaks) {
    const day = localDayOf(peak.timestamp, timeZone);
    let group = byDay.get(day);
    if (!group) {
      group = { day, peaks: [] };
      byDay.set(day, group);
      groups.push(group);
    }
    group.peaks.push(peak);
  }
  return groups;
}

/**
 * The instants bounding local days `from` to `to` (YYYY-MM-DD, both included; either may be
 * missing) in the timezone: from the first day's local midnight (inclusive) to the midnight
 * after the last day (exclusive), as the peaks API takes them. DST days have 23 or 25 hours.
 */
export function localDaysToRange(days: { from?: string; to?: string }, timeZone: string): { from?: string; to?: string } {
  const grid = createWindowGrid(timeZone, 15);
  return {
    ...(days.from ? { from: new Date(grid.localDayRange(days.from).startMs).toISOString() } : {}),
    ...(days.to ? { to: new Date(grid.localDayRange(days.to).endMs).toISOString() } : {}),
  };
}
