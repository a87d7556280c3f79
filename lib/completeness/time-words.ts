// Times and lengths of time in words, in the dashboard's timezone. Safe for the browser.

const MINUTE_MS = 60_000;

/** "52 min", "1 h", "1 h 20 min", "26 h", "2 days 18 h": a length of time, to the minute under ten hours, to the hour beyond. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / MINUTE_MS));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 10) return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  const wholeHours = Math.round(minutes / 60);
  if (wholeHours < 48) return `${wholeHours} h`;
  const days = Math.floor(wholeHours / 24);
  const restHours = wholeHours % 24;
  return restHours === 0 ? `${days} days` : `${days} days ${restHours} h`;
}

const formats = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();

function formatsOf(timeZone: string) {
  let found = formats.get(timeZone);
  if (!found) {
    found = {
      time: new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      date: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" }),
      dateTime: new Intl.DateTimeFormat("en-GB", {
        timeZone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }),
      // The local calendar day, to compare two instants' days: "2026-11-27".
      day: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
    };
    formats.set(timeZone, found);
  }
  return found;
}

/**
 * An instant as short as it can be told apart from `nowMs` (both UTC ms), in the timezone: the
 * time of day on the same local day ("10:42"), with the date within the year ("27 Nov, 23:45"),
 * in full otherwise ("27 Nov 2025, 23:45").
 */
export function formatInstantNear(instantMs: number, nowMs: number, timeZone: string): string {
  const { time, date, dateTime, day } = formatsOf(timeZone);
  const instantDay = day.format(instantMs);
  const today = day.format(nowMs);
  if (instantDay === today) return time.format(instantMs);
  if (instantDay.slice(0, 4) === today.slice(0, 4)) return `${date.format(instantMs)}, ${time.format(instantMs)}`;
  return dateTime.format(instantMs);
}

/** A range `[fromMs, toMs)` in the timezone: "02:00–04:15" on one day, "26 Nov, 23:00 – 27 Nov, 01:00" across days (dates relative to `nowMs`). */
export function formatRangeNear(fromMs: number, toMs: number, nowMs: number, timeZone: string): string {
  const { time, day } = formatsOf(timeZone);
  // The end instant is exclusive: a range ending at midnight ends on the day before.
  if (day.format(fromMs) === day.format(toMs - 1)) return `${formatInstantNear(fromMs, nowMs, timeZone)}–${time.format(toMs)}`;
  return `${formatInstantNear(fromMs, nowMs, timeZone)} – ${formatInstantNear(toMs, nowMs, timeZone)}`;
}
