// Ticks of a time axis in the dashboard's timezone: where they go and what they read. Pure and
// browser-safe (Intl only): the charts call it with the range they draw and the room they have.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A tick: its instant (UTC ms) and its words. */
export type TimeTick = { value: number; label: string };

/** Steps between ticks, shortest first; "month" is the first day of each month. */
const STEPS: readonly { ms: number; unit: "time" | "day" | "week" | "month" }[] = [
  { ms: 15 * MINUTE_MS, unit: "time" },
  { ms: 30 * MINUTE_MS, unit: "time" },
  { ms: HOUR_MS, unit: "time" },
  { ms: 2 * HOUR_MS, unit: "time" },
  { ms: 3 * HOUR_MS, unit: "time" },
  { ms: 6 * HOUR_MS, unit: "time" },
  { ms: 12 * HOUR_MS, unit: "time" },
  { ms: DAY_MS, unit: "day" },
  { ms: 2 * DAY_MS, unit: "day" },
  { ms: 7 * DAY_MS, unit: "week" },
  { ms: 14 * DAY_MS, unit: "week" },
  { ms: 30 * DAY_MS, unit: "month" },
];

type Formats = {
  parts: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  weekday: Intl.DateTimeFormat;
  date: Intl.DateTimeFormat;
  dateYear: Intl.DateTimeFormat;
};
const formatCache = new Map<string, Formats>();

function formatsOf(timeZone: string): Formats {
  let found = formatCache.get(timeZone);
  if (!found) {
    found = {
      parts: new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        hourCycle: "h23",
      }),
      time: new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      weekday: new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short" }),
      date: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" }),
      dateYear: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric" }),
    };
    formatCache.set(timeZone, found);
  }
  return found;
}

/** The wall-clock time of an instant in the timezone, written as if it were UTC ("wall ms"). */
function wallOf(instant: number, formats: Formats): number {
  const parts: Record<string, number> = {};
  for (const part of formats.parts.formatToParts(instant)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!) + (instant % 1000);
}

/** The instant a wall-clock time happens in the timezone; null when it never does (skipped by a DST change). */
function instantOf(wall: number, formats: Formats): number | null {
  const guess = wall - (wallOf(wall, formats) - wall);
  const instant = guess - (wallOf(guess, formats) - wall);
  return wallOf(instant, formats) === wall ? instant : null;
}

const weekday = (wall: number) => new Date(wall).getUTCDay();

/** Wall times of the ticks between two wall times for a step. */
function wallTicks(wallFrom: number, wallTo: number, step: (typeof STEPS)[number]): number[] {
  const ticks: number[] = [];
  if (step.unit === "time") {
    for (let wall = Math.ceil(wallFrom / step.ms) * step.ms; wall <= wallTo; wall += step.ms) ticks.push(wall);
  } else if (step.unit === "month") {
    const start = new Date(wallFrom);
    let wall = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1);
    if (wall < wallFrom) wall = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    while (wall <= wallTo) {
      ticks.push(wall);
      const date = new Date(wall);
      wall = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  } else {
    // Days counted from 1 Jan 1970 (a Thursday): every day, every other day, Mondays, every other Monday.
    const days = step.ms / DAY_MS;
    for (let wall = Math.ceil(wallFrom / DAY_MS) * DAY_MS; wall <= wallTo; wall += DAY_MS) {
      const day = Math.round(wall / DAY_MS);
      if (step.unit === "week" ? weekday(wall) === 1 && Math.floor((day + 3) / 7) % (days / 7) === 0 : day % days === 0) ticks.push(wall);
    }
  }
  return ticks;
}

/** The instants of a step's ticks in `[from, to]`, each a local time the timezone has, in order. */
function ticksOf(
  from: number,
  to: number,
  wallFrom: number,
  wallTo: number,
  step: (typeof STEPS)[number],
  formats: Formats,
): { wall: number; value: number }[] {
  const ticks: { wall: number; value: number }[] = [];
  for (const wall of wallTicks(wallFrom, wallTo, step)) {
    const value = instantOf(wall, formats);
    if (value !== null && value >= from && value <= to && (ticks.length === 0 || value > ticks[ticks.length - 1]!.value)) ticks.push({ wall, value });
  }
  return ticks;
}

/**
 * Ticks of a time axis over `[from, to]` (UTC ms), at most `maxTicks` of them, on round local
 * times of the timezone, with words that read naturally for the span:
 * - within one local day, times: "05:00";
 * - across days with ticks of hours, the day at a midnight tick ("Thu 26 Nov"), times otherwise,
 *   and day and time ("26 Nov 05:00") for a first tick that is not at midnight;
 * - ticks of whole days: "Thu 26 Nov"; of weeks or months: dates only ("26 Nov");
 * - the year is added to the first tick, and to the first of a new year, when the ticks span two.
 * A tick falls on a local time the timezone has (a DST change skips or repeats an hour).
 */
export function timeTicks(from: number, to: number, timeZone: string, maxTicks: number): TimeTick[] {
  if (!(to > from)) return [];
  const formats = formatsOf(timeZone);
  const wallFrom = wallOf(from, formats);
  const wallTo = wallOf(to, formats);
  const most = Math.max(2, Math.floor(maxTicks));
  // The shortest step whose ticks are few enough: counted, not estimated (a range of 7 days holds 3 or 4 ticks of 2 days).
  let step = STEPS[STEPS.length - 1]!;
  let ticks: { wall: number; value: number }[] = [];
  for (const candidate of STEPS) {
    if ((to - from) / candidate.ms > most + 1 && candidate !== STEPS[STEPS.length - 1]) continue;
    const found = ticksOf(from, to, wallFrom, wallTo, candidate, formats);
    if (found.length <= most || candidate === STEPS[STEPS.length - 1]) {
      step = candidate;
      ticks = found;
      break;
    }
  }
  const dayOf = (wall: number) => Math.floor(wall / DAY_MS);
  const yearOf = (wall: number) => new Date(wall).getUTCFullYear();
  const oneDay = ticks.length > 0 && dayOf(ticks[0]!.wall) === dayOf(ticks[ticks.length - 1]!.wall) && dayOf(wallFrom) === dayOf(wallTo - 1);
  const manyYears = ticks.length > 0 && yearOf(ticks[0]!.wall) !== yearOf(ticks[ticks.length - 1]!.wall);
  return ticks.map(({ wall, value }, index) => {
    const isMidnight = wall % DAY_MS === 0;
    const needsYear = manyYears && (index === 0 || yearOf(ticks[index - 1]!.wall) !== yearOf(wall));
    let label: string;
    if (needsYear) label = formats.dateYear.format(value);
    else if (step.unit === "week" || step.unit === "month") label = formats.date.format(value);
    else if (step.unit === "day") label = formats.weekday.format(value).replace(",", "");
    else if (oneDay) label = formats.time.format(value);
    else if (isMidnight) label = formats.weekday.format(value).replace(",", "");
    else if (index === 0) label = `${formats.date.format(value)} ${formats.time.format(value)}`;
    else label = formats.time.format(value);
    return { value, label };
  });
}

/** How many ticks an axis of `widthPx` holds: one per 80 px, room for the longest words ("26 Nov 05:00") at 12 px. */
export function ticksForWidth(widthPx: number): number {
  return Math.max(2, Math.floor(widthPx / 80));
}
