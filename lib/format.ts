const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The Intl.DateTimeFormat of a locale and options, built once: building one takes about 0.1 ms,
 * formatting with it about 1 µs, and a page formats hundreds of times.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** "28 Nov 2026, 14:15" in the given IANA timezone; "—" for null. */
export function formatDateTime(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return dateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** "5 min ago", "3 h ago", "2 days ago" relative to `now` (both epoch ms). */
export function formatAge(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

const countFormat = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** A duration in milliseconds: "640 ms", "2.4 s", "3 min"; "" for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A length of time in minutes as a person says it: "45 min", "2 h", "2 h 15 min", "3 days 4 h". */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  if (days > 0) return hours > 0 ? `${days} ${days === 1 ? "day" : "days"} ${hours} h` : `${days} ${days === 1 ? "day" : "days"}`;
  return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
}
