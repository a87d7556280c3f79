// Five-field cron expressions (minute hour day-of-month month day-of-week), read in UTC as
// Vercel reads its crons, and the next time one fires. Pure: the caller gives the instant.

const MINUTE_MS = 60_000;
/** A schedule that has not fired within this many days never will (leap days repeat every 4 years; 8 covers a skipped century year). */
const SEARCH_DAYS = 366 * 8 + 2;

type FieldSpec = { name: string; min: number; max: number; names?: readonly string[] };

const fields: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  // 7 is Sunday too, as in every cron.
  { name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** A parsed expression: the allowed values of each field, and whether the day fields were restricted. */
export type CronSchedule = {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 (Sunday) to 6; a 7 in the expression is stored as 0. */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Both day fields restricted: a day matches when either does (as every cron does). */
  readonly isDayEither: boolean;
  readonly isDayOfMonthAny: boolean;
};

export class CronSyntaxError extends Error {}

function valueOf(text: string, field: FieldSpec): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.name === "month" ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${field.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronSyntaxError(`${field.name}: ${value} is outside ${field.min}-${field.max}`);
  return value;
}

/** The values one field allows: `*`, `a`, `a-b`, each optionally `/step`, separated by commas. */
function parseField(text: string, field: FieldSpec): { values: Set<number>; isAny: boolean } {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new CronSyntaxError(`${field.name}: "${part}" is not a value, a range or a step`);
    const [, range = "", stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`${field.name}: the step of "${part}" must be at least 1`);
    let from: number;
    let to: number;
    if (range === "*") {
      from = field.min;
      to = field.max;
    } else if (range.includes("-")) {
      const [start = "", end = "", ...rest] = range.split("-");
      if (rest.length > 0) throw new CronSyntaxError(`${field.name}: "${part}" is not a range`);
      from = valueOf(start, field);
      to = valueOf(end, field);
      if (from > to) throw new CronSyntaxError(`${field.name}: the range "${range}" runs backwards`);
    } else {
      from = valueOf(range, field);
      // "5/15" is every 15 from 5, as in Vixie cron.
      to = stepText === undefined ? from : field.max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  // As in Vixie cron, a field starting with "*" (also "*/2") counts as unrestricted for the day rule.
  return { values, isAny: text.startsWith("*") };
}

/** Parses an expression; throws CronSyntaxError naming the field and the reason. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== fields.length || parts[0] === "") {
    throw new CronSyntaxError(`"${expression}" must have 5 fields (minute hour day-of-month month day-of-week), not ${parts[0] === "" ? 0 : parts.length}`);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((part, index) => parseField(part, fields[index]!)) as [
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];
  if (daysOfWeek.values.delete(7)) daysOfWeek.values.add(0);
  const schedule: CronSchedule = {
    expression: parts.join(" "),
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: daysOfMonth.values,
    months: months.values,
    daysOfWeek: daysOfWeek.values,
    isDayEither: !daysOfMonth.isAny && !daysOfWeek.isAny,
    isDayOfMonthAny: daysOfMonth.isAny,
  };
  if (nextFireTime(schedule, Date.UTC(2000, 0, 1)) === null) throw new CronSyntaxError(`"${expression}" never fires (no month has that day)`);
  return schedule;
}

/** A problem with an expression in words, or null when it is valid. */
export function cronProblem(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (error) {
    if (error instanceof CronSyntaxError) return error.message;
    throw error;
  }
}

function isDayMatch(schedule: CronSchedule, date: Date): boolean {
  const dayOfMonth = schedule.daysOfMonth.has(date.getUTCDate());
  const dayOfWeek = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.isDayEither) return dayOfMonth || dayOfWeek;
  return schedule.isDayOfMonthAny ? dayOfWeek : dayOfMonth;
}

/**
 * The first whole minute strictly after `afterMs` (UTC ms) at which the schedule fires, in UTC
 * ms; null when it never does (within eight years).
 */
export function nextFireTime(schedule: CronSchedule, afterMs: number): number | null {
  let time = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const limit = time + SEARCH_DAYS * 24 * 60 * MINUTE_MS;
  while (time <= limit) {
    const date = new Date(time);
    const [year, month, day, hour] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()];
    if (!schedule.months.has(month + 1)) {
      time = Date.UTC(year, month + 1, 1);
    } else if (!isDayMatch(schedule, date)) {
      time = Date.UTC(year, month, day + 1);
    } else if (!schedule.hours.has(hour)) {
      time = Date.UTC(year, month, day, hour + 1);
    } else if (!schedule.minutes.has(date.getUTCMinutes())) {
      time += MINUTE_MS;
    } else {
      return time;
    }
  }
  return null;
}
