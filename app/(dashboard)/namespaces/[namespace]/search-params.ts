import { z } from "zod";
import { firstSearchParam, type RawSearchParams } from "@/lib/search-params";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const rangePresets = ["24h", "7d", "30d", "90d"] as const;
export type RangePreset = (typeof rangePresets)[number];
export const DEFAULT_PRESET: RangePreset = "7d";

export const presetDurationMs: Readonly<Record<RangePreset, number>> = { "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS, "90d": 90 * DAY_MS };
export const presetLabels: Readonly<Record<RangePreset, string>> = { "24h": "24 h", "7d": "7 d", "30d": "30 d", "90d": "90 d" };
const presetDescriptions: Readonly<Record<RangePreset, string>> = {
  "24h": "the last 24 hours",
  "7d": "the last 7 days",
  "30d": "the last 30 days",
  "90d": "the last 90 days",
};

const instantSchema = z.iso.datetime({ offset: true });

/**
 * The chart's range as the URL holds it: a preset relative to now, or a fixed from/to (a zoom or
 * a custom range), which wins when both are there. `range` stays beside a fixed range so that
 * "Reset zoom" knows which preset to return to. A bad value falls back to the default.
 */
export const namespaceSearchSchema = z.object({
  range: z.enum(rangePresets).catch(DEFAULT_PRESET),
  from: instantSchema.nullable().catch(null),
  to: instantSchema.nullable().catch(null),
});
export type NamespaceSearch = z.output<typeof namespaceSearchSchema>;

/** The range of a page request's searchParams or of the browser's URL; a lone from or to is ignored. */
export function parseNamespaceSearch(params: RawSearchParams): NamespaceSearch {
  const parsed = namespaceSearchSchema.parse({
    range: firstSearchParam(params, "range") ?? DEFAULT_PRESET,
    from: firstSearchParam(params, "from") ?? null,
    to: firstSearchParam(params, "to") ?? null,
  });
  return parsed.from !== null && parsed.to !== null ? parsed : { ...parsed, from: null, to: null };
}

/** Whether the URL holds a fixed range (zoomed or typed in) rather than a preset. */
export function isFixedRange(search: NamespaceSearch): search is NamespaceSearch & { from: string; to: string } {
  return search.from !== null && search.to !== null;
}

/** The query string for a range, the default preset left out ("" or "?range=30d&from=…&to=…"). */
export function namespaceSearchString(search: NamespaceSearch): string {
  const params = new URLSearchParams();
  if (search.range !== DEFAULT_PRESET) params.set("range", search.range);
  if (isFixedRange(search)) {
    params.set("from", search.from);
    params.set("to", search.to);
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** A stable key for the range: the preset's name (its instants move with time) or the fixed instants. */
export function rangeKey(search: NamespaceSearch): string {
  return isFixedRange(search) ? `${search.from}/${search.to}` : search.range;
}

/** The instants of a range (UTC ms; from inclusive, to exclusive); a preset ends at the next whole minute after now. */
export function resolveRange(search: NamespaceSearch, nowMs: number): { from: number; to: number } {
  if (isFixedRange(search)) return { from: Date.parse(search.from), to: Date.parse(search.to) };
  const to = Math.ceil(nowMs / 60_000) * 60_000;
  return { from: to - presetDurationMs[search.range], to };
}

/**
 * The namespace page on the shortest preset whose range shows an instant with an hour to spare
 * (a marker on the chart's very edge is easy to miss); the longest preset when none does.
 */
export function namespaceHrefShowing(namespace: string, instantMs: number, nowMs: number): string {
  const fits = (preset: RangePreset) => resolveRange({ range: preset, from: null, to: null }, nowMs).from + HOUR_MS <= instantMs;
  const range = rangePresets.find(fits) ?? rangePresets[rangePresets.length - 1]!;
  return `/namespaces/${encodeURIComponent(namespace)}${namespaceSearchString({ range, from: null, to: null })}`;
}

/** "the last 7 days", for labels. */
export function describePreset(preset: RangePreset): string {
  return presetDescriptions[preset];
}

/** The series API's query string for a range. */
export function seriesQuery(search: NamespaceSearch, nowMs: number, points: number): string {
  const { from, to } = resolveRange(search, nowMs);
  return new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), points: String(points) }).toString();
}

// ---------------------------------------------------------------------------------------------
// Custom from/to inputs: <input type="datetime-local"> values are wall-clock times without a zone;
// the dashboard reads them in the configured timezone, never the browser's.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds to add to UTC for wall-clock time in a timezone at an instant. */
function offsetAt(instantMs: number, timeZone: string): number {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instantMs)) parts[part.type] = Number(part.value);
  const wallClock = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wallClock - Math.floor(instantMs / 1000) * 1000;
}

const localInputPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant (UTC ms) of a datetime-local value ("2026-03-29T02:30") read in a timezone; null
 * when it is not such a value. A time repeated when the clocks go back is its first occurrence;
 * a time skipped when they go forward moves forward by the gap (02:30 becomes 03:30), as
 * calendars do.
 */
export function localInputToInstant(value: string, timeZone: string): number | null {
  const match = localInputPattern.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wallClock).getUTCDate() !== day) return null;
  // Offsets a day either side bracket any transition near the time: each gives one candidate.
  const before = offsetAt(wallClock - DAY_MS, timeZone);
  const after = offsetAt(wallClock + DAY_MS, timeZone);
  const candidates = [wallClock - before, wallClock - after].sort((a, b) => a - b);
  const exact = candidates.find((instant) => instant + offsetAt(instant, timeZone) === wallClock);
  return exact ?? wallClock - before;
}

/** The datetime-local value ("2026-11-28T14:15") of an instant in a timezone. */
export function instantToLocalInput(instantMs: number, timeZone: string): string {
  return new Date(instantMs + offsetAt(instantMs, timeZone)).toISOString().slice(0, 16);
}

export type CustomRangeResult = { ok: true; from: number; to: number } | { ok: false; field: "from" | "to"; message: string };

/** Checks the custom inputs as the series API would: both valid times, to after from, at most maxDays apart. */
export function parseCustomRange(fromValue: string, toValue: string, timeZone: string, maxDays: number): CustomRangeResult {
  const from = localInputToInstant(fromValue, timeZone);
  if (from === null) return { ok: false, field: "from", message: "Enter a date and time" };
  const to = localInputToInstant(toValue, timeZone);
  if (to === null) return { ok: false, field: "to", message: "Enter a date and time" };
  if (to <= from) return { ok: false, field: "to", message: "Must be after From" };
  if (to - from > maxDays * DAY_MS) return { ok: false, field: "from", message: `The range can be at most ${maxDays} days` };
  return { ok: true, from, to };
}
