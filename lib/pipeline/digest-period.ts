// The daily digest's calendar: which 24 hours a digest of a local date covers, and which date is
// due. Pure: the clock and the timezone's offsets (a WindowGrid) come in as arguments.
//
// The digest of local date D covers [D−1 at local_time, D at local_time): the day that ends when
// it is sent. Both ends are local wall-clock times, so consecutive digests cover every instant
// once: a period holding a clock change lasts 23 or 25 hours (an instant is never in two digests
// and never in none).

import type { WindowGrid } from "./time";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The period of a digest: its local date and [fromMs, toMs) in UTC ms. */
export type DigestPeriod = { date: string; fromMs: number; toMs: number };

/** True for a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The calendar date `days` after (negative: before) a YYYY-MM-DD date. */
export function shiftIsoDate(date: string, days: number): string {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}

/**
 * The instant (UTC ms) a local wall-clock time `HH:MM` has on a local date. Across a clock change
 * it resolves as calendars do ("compatible"): a time that occurs twice (autumn) is its first
 * occurrence, a time the clocks skip (spring) is moved on by the skipped length (02:30 → 03:30).
 */
export function localInstantOf(date: string, time: string, grid: Pick<WindowGrid, "offsetAt">): number {
  const day = ISO_DATE.exec(date);
  const clock = LOCAL_TIME.exec(time);
  if (!day || !clock) throw new RangeError(`expected YYYY-MM-DD and HH:MM, got "${date}" and "${time}"`);
  const wallClock = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(clock[1]), Number(clock[2]));
  // The offsets in force a day either side bracket any transition near the wall-clock time.
  const offsetBefore = grid.offsetAt(wallClock - DAY_MS);
  const offsetAfter = grid.offsetAt(wallClock + DAY_MS);
  const candidates = [wallClock - offsetBefore, wallClock - offsetAfter].filter((instant) => instant + grid.offsetAt(instant) === wallClock);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped: read with the offset before the change, which lands after the gap.
  return wallClock - offsetBefore;
}

/** The period the digest of a local date covers: from the day before at local_time to the date at local_time. */
export function digestPeriodOf(date: string, localTime: string, grid: Pick<WindowGrid, "offsetAt">): DigestPeriod {
  return { date, fromMs: localInstantOf(shiftIsoDate(date, -1), localTime, grid), toMs: localInstantOf(date, localTime, grid) };
}

/** Whether the digest of a date is due at `nowMs`: its period has ended. */
export function isDigestDue(date: string, localTime: string, nowMs: number, grid: Pick<WindowGrid, "offsetAt">): boolean {
  return localInstantOf(date, localTime, grid) <= nowMs;
}

/** The newest date whose digest is due at `nowMs`: today's once local_time has passed, else yesterday's. */
export function newestDueDigestDate(nowMs: number, localTime: string, grid: Pick<WindowGrid, "offsetAt" | "localDateOf">): string {
  const today = grid.localDateOf(nowMs);
  return isDigestDue(today, localTime, nowMs, grid) ? today : shiftIsoDate(today, -1);
}

/** The period's length in whole minutes (1440, or 1380 / 1500 across a clock change). */
export function digestPeriodMinutes(period: Pick<DigestPeriod, "fromMs" | "toMs">): number {
  return Math.round((period.toMs - period.fromMs) / MINUTE_MS);
}
