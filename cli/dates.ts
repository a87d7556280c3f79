import { InvalidInputError } from "@/lib/errors";
import type { WindowGrid } from "@/lib/pipeline/time";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (not 2026-02-30 or 2026-13-45). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_ONLY.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A --from/--to value: a local date (YYYY-MM-DD, in the configured timezone) or an ISO-8601
 * instant with an offset. A date means the start of that day for --from and its end for --to
 * (the day is included).
 */
export function parseBoundary(value: string, grid: WindowGrid, edge: "from" | "to"): number {
  if (DATE_ONLY.test(value)) {
    if (!isCalendarDate(value)) throw new InvalidInputError(`"${value}" is not a calendar date`);
    const day = grid.localDayRange(value);
    return edge === "from" ? day.startMs : day.endMs;
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    throw new InvalidInputError(`"${value}" is neither a date (YYYY-MM-DD) nor an ISO-8601 time with an offset (2026-01-15T10:00:00Z)`);
  }
  return parsed;
}

/** The [from, to) range of two optional boundaries; null when neither is given. */
export function parseRange(
  from: string | undefined,
  to: string | undefined,
  grid: WindowGrid,
  fallback?: { fromMs: number; toMs: number },
): { fromMs: number; toMs: number } | null {
  if (from === undefined && to === undefined && !fallback) return null;
  const fromMs = from !== undefined ? parseBoundary(from, grid, "from") : (fallback?.fromMs ?? 0);
  const toMs = to !== undefined ? parseBoundary(to, grid, "to") : (fallback?.toMs ?? 8.64e15);
  if (fromMs >= toMs) throw new InvalidInputError(`--from must be before --to`);
  return { fromMs, toMs };
}
