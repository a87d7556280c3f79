/**
 * Windows in a timezone. A window is `[start, start + windowMinutes)`, aligned to the window
 * length in local time; starts are UTC epoch milliseconds. Stepping through UTC in whole windows
 * is DST-correct by construction: a 23-hour local day has 92 quarter-hour windows, a 25-hour day
 * 100, and the repeated hour of the autumn change gives two windows with the same local keys.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Local-time keys of a window: day_of_week 0 = Monday … 6 = Sunday; quarter_hour = window index within the hour. */
export type SlotKeys = { dayOfWeek: number; hourOfDay: number; quarterHour: number };

export type WindowGrid = {
  readonly timeZone: string;
  readonly windowMinutes: number;
  readonly windowMs: number;
  /** Start of the window containing an instant (UTC ms). */
  windowStartOf: (instantMs: number) => number;
  /** Local keys of a window start. */
  slotOf: (windowStartMs: number) => SlotKeys;
  /** Every window start in `[fromMs, toMs)`, the first aligned at or after fromMs. */
  windowsBetween: (fromMs: number, toMs: number) => number[];
  /** `[start, end)` in UTC ms of a local calendar day given as YYYY-MM-DD. */
  localDayRange: (isoDate: string) => { startMs: number; endMs: number };
  /** The local calendar date (YYYY-MM-DD) of an instant. */
  localDateOf: (instantMs: number) => string;
  /** Milliseconds to add to UTC to get local wall-clock time at an instant. */
  offsetAt: (instantMs: number) => number;
};

/** Creates the window grid of a timezone; throws RangeError for an unknown timezone or a length that does not divide 60. */
export function createWindowGrid(timeZone: string, windowMinutes: number): WindowGrid {
  if (!Number.isInteger(windowMinutes) || windowMinutes <= 0 || 60 % windowMinutes !== 0) {
    throw new RangeError(`window length must divide 60 minutes, got ${windowMinutes}`);
  }
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const windowMs = windowMinutes * MINUTE_MS;
  // Offsets change only at transitions, which fall on whole quarter hours in every current
  // zone: one lookup per UTC quarter hour, cached.
  const offsetCache = new Map<number, number>();
  const partsCache = new Map<number, { parts: Record<string, string> }>();

  const partsOf = (instantMs: number): Record<string, string> => {
    const cached = partsCache.get(instantMs);
    if (cached) return cached.parts;
    const parts: Record<string, string> = {};
    for (const part of formatter.formatToParts(instantMs)) parts[part.type] = part.value;
    if (partsCache.size > 100_000) partsCache.clear();
    partsCache.set(instantMs, { parts });
    return parts;
  };

  const offsetAt = (instantMs: number): number => {
    const bucket = Math.floor(instantMs / (15 * MINUTE_MS));
    const cached = offsetCache.get(bucket);
    if (cached !== undefined) return cached;
    const probe = bucket * 15 * MINUTE_MS;
    const parts = partsOf(probe);
    const wallClock = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const offset = wallClock - probe;
    if (offsetCache.size > 1_000_000) offsetCache.clear();
    offsetCache.set(bucket, offset);
    return offset;
  };

  const windowStartOf = (instantMs: number): number => {
    const offset = offsetAt(instantMs);
    return Math.floor((instantMs + offset) / windowMs) * windowMs - offset;
  };

  const slotOf = (windowStartMs: number): SlotKeys => {
    // Wall-clock time as if it were UTC: its whole days since 1970-01-01 (a Thursday, index 3) give the weekday.
    const local = windowStartMs + offsetAt(windowStartMs);
    const minutesOfDay = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
    return {
      dayOfWeek: (((Math.floor(local / DAY_MS) + 3) % 7) + 7) % 7,
      hourOfDay: Math.floor(minutesOfDay / 60),
      quarterHour: Math.floor((minutesOfDay % 60) / windowMinutes),
    };
  };

  const windowsBetween = (fromMs: number, toMs: number): number[] => {
    const starts: number[] = [];
    let start = windowStartOf(fromMs);
    if (start < fromMs) start = windowStartOf(start + windowMs);
    for (; start < toMs; start = windowStartOf(start + windowMs)) starts.push(start);
    return starts;
  };

  const localMidnight = (year: number, month: number, day: number): number => {
    // Local midnight = UTC midnight minus the offset in force then; re-check once, since the
    // guess can fall on the other side of a transition.
    const utcMidnight = Date.UTC(year, month - 1, day);
    let guess = utcMidnight - offsetAt(utcMidnight);
    guess = utcMidnight - offsetAt(guess);
    return guess;
  };

  const localDayRange = (isoDate: string) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
    if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${isoDate}"`);
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    return {
      startMs: localMidnight(year, month, day),
      endMs: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
    };
  };

  const localDateOf = (instantMs: number): string => {
    const parts = partsOf(instantMs);
    return `${parts.year}-${parts.month}-${parts.day}`;
  };

  // Fail fast on an unknown timezone rather than on first use.
  offsetAt(0);
  return { timeZone, windowMinutes, windowMs, windowStartOf, slotOf, windowsBetween, localDayRange, localDateOf, offsetAt };
}

function localWallClock(instantMs: number, grid: WindowGrid): { date: string; time: string } {
  const iso = new Date(instantMs + grid.offsetAt(instantMs)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** An instant as local wall-clock time, "2026-01-15 10:15". */
export function formatLocalTime(instantMs: number, grid: WindowGrid): string {
  const { date, time } = localWallClock(instantMs, grid);
  return `${date} ${time}`;
}

/** An instant for messages, in local time with the timezone: "2026-01-15 10:15 Europe/Prague". */
export function describeInstant(instantMs: number, grid: WindowGrid): string {
  return `${formatLocalTime(instantMs, grid)} ${grid.timeZone}`;
}

/** A range in local time for messages: "2026-01-15 10:00–10:15 Europe/Prague" (the end date is repeated only when it differs). */
export function describeRange(range: { fromMs: number; toMs: number }, grid: WindowGrid): string {
  const from = localWallClock(range.fromMs, grid);
  const to = localWallClock(range.toMs, grid);
  return `${from.date} ${from.time}–${to.date === from.date ? "" : `${to.date} `}${to.time} ${grid.timeZone}`;
}
