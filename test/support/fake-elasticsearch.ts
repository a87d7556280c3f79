/**
 * A local stand-in for the part of the Elasticsearch 8.x REST API the product uses: root info,
 * field capabilities, point in time, search (query DSL subset, time sort + search_after,
 * composite/terms/filter/filters/top_hits/missing/min/max aggregations) and count. Answers come from an in-memory
 * document set with real Elasticsearch response and error shapes, plus injectable faults.
 *
 * Built for integration tests and a 1,000,000-document benchmark: each document's timestamp is
 * parsed once when indexed, each index keeps its documents sorted by timestamp, range filters and
 * search_after positions are found by binary search, and full-pass results (aggregations, exact
 * totals) are cached per document snapshot so paging does not rescan.
 *
 * Only node:http and the standard library: the fake must not depend on what it stands in for.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** `text_with_keyword` is a text field with a `.keyword` multi-field (ES's dynamic mapping of strings). */
export type FieldType = "date" | "keyword" | "text" | "text_with_keyword" | "long";

export type FakeElasticsearchOptions = {
  /** Dotted field paths, shared by every index. */
  mappings?: Record<string, FieldType>;
  /** Reported by `GET /`; its major version decides which `compatible-with` values are accepted. */
  version?: string;
  auth?: { apiKey: string } | { username: string; password: string };
  /** Naming one of these explicitly answers 403; wildcards skip them, as ES security does. */
  forbiddenIndices?: string[];
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
};

export type RecordedRequest = {
  method: string;
  /** Decoded path without the query string, e.g. `/logs-*,audit/_search`. */
  path: string;
  query: Record<string, string>;
  /** Body bytes received. */
  requestBytes: number;
  /** Body bytes written (half the body for `drop: "mid-body"`, 0 for `drop: "before-response"`). */
  responseBytes: number;
  /** 0 when the socket was dropped before any response. */
  status: number;
  /** Parsed JSON body, or null when empty or not JSON. */
  body: unknown;
  /** When the request arrived (performance.now() of this process), ms. */
  startedMs: number;
  /** From its arrival to the last byte handed to the socket (reading, answering, writing), ms; 0 until answered. */
  handlingMs: number;
};

export type Fault =
  { status: 429 | 500 | 502 | 503; retryAfterSeconds?: number } | { delayMs: number } | { drop: "before-response" | "mid-body" } | { expirePit: true };

export type FakeElasticsearch = {
  url: string;
  /** Appends documents (stored by reference: do not mutate them afterwards) and assigns `_id`s. */
  index(name: string, documents: readonly Record<string, unknown>[]): void;
  /** Queues a fault for the next matching request(s), first in first out; `times` defaults to 1. */
  inject(fault: Fault, match?: { method?: string; path?: RegExp; times?: number }): void;
  /** Drops every fault still queued. */
  clearFaults(): void;
  requests: RecordedRequest[];
  resetRequests(): void;
  openPitCount(): number;
  expireAllPits(): void;
  close(): Promise<void>;
};

/** The fields of the generated documents as values.yaml names them (the version field left out: an index without it). */
export const DEFAULT_MAPPINGS: Readonly<Record<string, FieldType>> = {
  "@timestamp": "date",
  "kubernetes.namespace": "keyword",
  "kubernetes.labels.app": "keyword",
  level: "keyword",
  message: "text",
  "trace.id": "keyword",
};

// ---------------------------------------------------------------------------------------------
// Limits and constants (Elasticsearch defaults)
// ---------------------------------------------------------------------------------------------

const MAX_RESULT_WINDOW = 10_000;
const MAX_BUCKETS = 65_536;
const DEFAULT_TRACK_TOTAL_HITS = 10_000;
const KEYWORD_IGNORE_ABOVE = 256;
const MAX_KEEP_ALIVE_MS = 24 * 3_600_000;
const SHARD_DOC_SHIFT = 2 ** 32; // _shard_doc = shardIndex << 32 | docId
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const OFFSET_BLOCK_MS = 15 * MINUTE_MS; // every zone transition since 1970 falls on a UTC quarter hour
/** Sort value ES gives a document without the sort field: Long.MAX_VALUE ascending, MIN descending. */
const MISSING_SORT_VALUE = 2 ** 63;
const MISSING_SORT_ISO_ASC = "292278994-08-17T07:12:55.807Z";
const MISSING_SORT_ISO_DESC = "-292275055-05-16T16:47:04.192Z";
const NODE_ID = "fAkEnOdE0rEsT0fThEcLu";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

type Headers = Record<string, string | string[]>;
type ErrorCause = { type: string; reason: string } & Record<string, unknown>;

/** An HTTP answer that is not a 2xx, carrying Elasticsearch's error body. */
class EsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Headers = {},
  ) {
    super(`HTTP ${status}`);
  }
}

function esError(status: number, cause: ErrorCause, headers: Headers = {}): EsHttpError {
  const root = Object.fromEntries(Object.entries(cause).filter(([key]) => key !== "caused_by"));
  return new EsHttpError(status, { error: { root_cause: [root], ...cause }, status }, headers);
}

const badRequest = (type: string, reason: string, extra: Record<string, unknown> = {}) => esError(400, { type, reason, ...extra });
const parsingError = (reason: string) => badRequest("parsing_exception", reason);
const illegalArgument = (reason: string) => badRequest("illegal_argument_exception", reason);
const validationError = (...reasons: string[]) =>
  badRequest("action_request_validation_exception", `Validation Failed: ${reasons.map((reason, index) => `${index + 1}: ${reason};`).join("")}`);
/** For features real Elasticsearch has but this fake does not implement. */
const unsupported = (what: string) => illegalArgument(`fake-elasticsearch does not support ${what}`);

function indexNotFound(name: string): EsHttpError {
  return esError(404, {
    type: "index_not_found_exception",
    reason: `no such index [${name}]`,
    "resource.type": "index_or_alias",
    "resource.id": name,
    index_uuid: "_na_",
    index: name,
  });
}

/** Shard-level failures come back wrapped, like every shard failing the query phase. */
function shardFailure(status: number, cause: ErrorCause, index: IndexState): EsHttpError {
  const located = { ...cause, index_uuid: index.uuid, index: index.name };
  return new EsHttpError(status, {
    error: {
      root_cause: [located],
      type: "search_phase_execution_exception",
      reason: "all shards failed",
      phase: "query",
      grouped: true,
      failed_shards: [{ shard: 0, index: index.name, node: NODE_ID, reason: located }],
      caused_by: cause,
    },
    status,
  });
}

function searchContextMissing(contextId: number): EsHttpError {
  const cause = { type: "search_context_missing_exception", reason: `No search context found for id [${contextId}]` };
  return new EsHttpError(404, {
    error: {
      root_cause: [cause],
      type: "search_phase_execution_exception",
      reason: "all shards failed",
      phase: "query",
      grouped: true,
      failed_shards: [{ shard: -1, index: null, reason: cause }],
      caused_by: cause,
    },
    status: 404,
  });
}

function fielddataDisabled(field: string, index: string): ErrorCause {
  return {
    type: "illegal_argument_exception",
    reason:
      `Fielddata is disabled on [${field}] in [${index}]. Text fields are not optimised for operations that require ` +
      `per-document field data like aggregations and sorting, so these operations are disabled by default. Please use ` +
      `a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by ` +
      `uninverting the inverted index. Note that this can use significant memory.`,
  };
}

/**
 * Problems ES only finds on a shard (field types, result window): they are reported wrapped, and
 * not at all when the search targets no shard, so parsing records them and the caller decides.
 */
type ShardProblems = { first: { status: number; cause: ErrorCause; field?: string } | null };

function noteShardProblem(problems: ShardProblems, status: number, cause: ErrorCause, field?: string): void {
  problems.first ??= { status, cause, field };
}

function throwShardProblems(problems: ShardProblems, snapshot: Snapshot): void {
  const problem = problems.first;
  const index = snapshot.indices[0];
  if (!problem || !index) return;
  const cause = problem.field ? fielddataDisabled(problem.field, index.name) : problem.cause;
  throw shardFailure(problem.status, cause, index);
}

// ---------------------------------------------------------------------------------------------
// Small JSON helpers
// ---------------------------------------------------------------------------------------------

type Scalar = string | number | boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** The XContent token name ES uses in "Unknown key for a ... in [x]." messages. */
function tokenName(value: unknown): string {
  if (Array.isArray(value)) return "START_ARRAY";
  if (value === null) return "VALUE_NULL";
  if (typeof value === "object") return "START_OBJECT";
  if (typeof value === "number") return "VALUE_NUMBER";
  if (typeof value === "boolean") return "VALUE_BOOLEAN";
  return "VALUE_STRING";
}

function toArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Integer from a JSON number or numeric string; undefined when absent. */
function readInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw badRequest("x_content_parse_exception", `[${name}] failed to parse field [${name}]: expected an integer, got [${String(value)}]`);
  }
  return number;
}

function readBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === "true" || value === "") return true;
  if (value === false || value === "false") return false;
  throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed for [${name}]`);
}

function readString(value: unknown, what: string): string {
  if (typeof value !== "string") throw parsingError(`[${what}] must be a string, found [${tokenName(value)}]`);
  return value;
}

/** `*` globs as used in index expressions, field patterns and `_source` filters (`*` spans dots). */
function globToRegExp(pattern: string, caseInsensitive = false): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH_MILLIS = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses `strict_date_optional_time`; `millis` reads a zone-less value as UTC; `spanMs` is what the
 * written precision covers ("2024-01-01" spans a day), for ES's rounding up of partial dates.
 */
function parseIsoDate(text: string): { millis: number; hasZone: boolean; spanMs: number } | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const parts = [Number(month ?? "1"), Number(day ?? "1"), Number(hour ?? "0"), Number(minute ?? "0"), Number(second ?? "0")] as const;
  if (parts[0] < 1 || parts[0] > 12 || parts[1] < 1 || parts[1] > 31 || parts[2] > 23 || parts[3] > 59 || parts[4] > 59) {
    return null;
  }
  const millisOfSecond = fraction === undefined ? 0 : Number(fraction.padEnd(3, "0").slice(0, 3));
  let millis = Date.UTC(Number(year), parts[0] - 1, parts[1], parts[2], parts[3], parts[4], millisOfSecond);
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    millis -= sign * (Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2, 4) || "0") * MINUTE_MS);
  }
  if (!Number.isFinite(millis)) return null;
  let spanMs = 1;
  if (fraction !== undefined) spanMs = fraction.length < 3 ? 10 ** (3 - fraction.length) : 1;
  else if (second !== undefined) spanMs = 1000;
  else if (minute !== undefined) spanMs = MINUTE_MS;
  else if (hour !== undefined) spanMs = HOUR_MS;
  else if (day !== undefined) spanMs = DAY_MS;
  else if (month !== undefined) spanMs = Date.UTC(Number(year), parts[0], 1) - Date.UTC(Number(year), parts[0] - 1, 1);
  else spanMs = Date.UTC(Number(year) + 1, 0, 1) - Date.UTC(Number(year), 0, 1);
  return { millis, hasZone: zone !== undefined, spanMs };
}

/** Fast path for the canonical `YYYY-MM-DDTHH:mm:ss[.SSS]Z` that JSON and ES write; NaN otherwise. */
function parseCanonicalIso(text: string): number {
  const length = text.length;
  if (length !== 20 && length !== 24) return Number.NaN;
  if (text.charCodeAt(length - 1) !== 90 || text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":") {
    return Number.NaN;
  }
  const digit = (at: number) => {
    const value = text.charCodeAt(at) - 48;
    return value >= 0 && value <= 9 ? value : Number.NaN;
  };
  const pair = (at: number) => digit(at) * 10 + digit(at + 1);
  const month = pair(5);
  const day = pair(8);
  const hour = pair(11);
  const minute = pair(14);
  const second = pair(17);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const millis = length === 24 ? (text[19] === "." ? digit(20) * 100 + pair(21) : Number.NaN) : 0;
  return Date.UTC(pair(0) * 100 + pair(2), month - 1, day, hour, minute, second, millis);
}

/** A date field value as stored in `_source` (ISO-8601 or epoch millis) to UTC ms; NaN when invalid. */
function parseDateValue(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : Number.NaN;
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string") return Number.NaN;
  const canonical = parseCanonicalIso(value);
  if (!Number.isNaN(canonical)) return canonical;
  const iso = parseIsoDate(value);
  if (iso) return iso.millis;
  return EPOCH_MILLIS.test(value) ? Math.trunc(Number(value)) : Number.NaN;
}

const ISO_FORMATS = new Set(["strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos", "strict_date_time", "date_time", "iso8601"]);

type DateParseOptions = { formats: readonly string[]; zone: Zone | null; now: number; roundUp: boolean };

/** A date in a query (range bound, term, after key): formats, time_zone and `now`/`||` date math. */
function parseQueryDate(value: unknown, options: DateParseOptions): number {
  if (typeof value === "number") {
    if (options.formats.includes("epoch_second")) return Math.trunc(value * 1000);
    return Math.trunc(value);
  }
  if (typeof value !== "string") return Number.NaN;
  const mathStart = value.startsWith("now") ? 3 : value.indexOf("||");
  if (mathStart >= 0) {
    const anchor = value.startsWith("now") ? options.now : parseQueryDate(value.slice(0, mathStart), options);
    const math = value.slice(value.startsWith("now") ? 3 : mathStart + 2);
    return applyDateMath(anchor, math, options);
  }
  for (const format of options.formats) {
    if (ISO_FORMATS.has(format)) {
      const iso = parseIsoDate(value);
      if (iso) {
        const start = iso.hasZone || !options.zone ? iso.millis : localToUtcApprox(iso.millis, options.zone);
        // ES fills the fields a bound leaves out with their maximum when rounding up (gt, lte).
        return options.roundUp ? start + iso.spanMs - 1 : start;
      }
    } else if ((format === "epoch_millis" || format === "epoch_second") && EPOCH_MILLIS.test(value)) {
      return Math.trunc(Number(value) * (format === "epoch_second" ? 1000 : 1));
    }
  }
  return Number.NaN;
}

const DATE_MATH_STEP = /^([+-])(\d+)?([yMwdhHms])|^\/([yMwdhHms])/;

/** `+1d`, `-15m`, `/d`…: calendar units in the query's time zone; `/` rounds down, or up for gt/lte. */
function applyDateMath(anchor: number, math: string, options: DateParseOptions): number {
  let time = anchor;
  let rest = math;
  while (rest.length > 0 && Number.isFinite(time)) {
    const step = DATE_MATH_STEP.exec(rest);
    if (!step) return Number.NaN;
    rest = rest.slice(step[0].length);
    const zone = options.zone ?? UTC_ZONE;
    if (step[4]) {
      const unit = step[4];
      const start = roundDownToUnit(time, unit, zone);
      time = options.roundUp ? addCalendar(start, unit, 1, zone) - 1 : start;
    } else {
      const amount = Number(step[2] ?? "1") * (step[1] === "-" ? -1 : 1);
      time = addCalendar(time, step[3] ?? "d", amount, zone);
    }
  }
  return time;
}

function addCalendar(utc: number, unit: string, amount: number, zone: Zone): number {
  const fixed: Record<string, number> = { s: 1000, m: MINUTE_MS, h: HOUR_MS, H: HOUR_MS };
  const fixedStep = fixed[unit];
  if (fixedStep !== undefined) return utc + amount * fixedStep;
  const local = new Date(utc + zone.offsetAt(utc));
  if (unit === "d") local.setUTCDate(local.getUTCDate() + amount);
  else if (unit === "w") local.setUTCDate(local.getUTCDate() + 7 * amount);
  else if (unit === "M") local.setUTCMonth(local.getUTCMonth() + amount);
  else local.setUTCFullYear(local.getUTCFullYear() + amount);
  return localToUtcApprox(local.getTime(), zone);
}

function roundDownToUnit(utc: number, unit: string, zone: Zone): number {
  const calendarUnit: Record<string, CalendarUnit> = {
    s: "second",
    m: "minute",
    h: "hour",
    H: "hour",
    d: "day",
    w: "week",
    M: "month",
    y: "year",
  };
  return createRounder({ kind: "calendar", unit: calendarUnit[unit] ?? "day" }, zone)(utc);
}

function formatIso(millis: number): string {
  return new Date(millis).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Time zones: offsets from Intl, cached per UTC quarter hour so a million documents stay fast
// ---------------------------------------------------------------------------------------------

type Zone = { readonly id: string; readonly fixedOffset: number | null; offsetAt(utc: number): number };

const UTC_ZONE: Zone = { id: "UTC", fixedOffset: 0, offsetAt: () => 0 };
const zones = new Map<string, Zone>([
  ["UTC", UTC_ZONE],
  ["Z", UTC_ZONE],
  ["GMT", UTC_ZONE],
  ["Etc/UTC", UTC_ZONE],
]);
const FIXED_OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;

function resolveZone(id: string): Zone {
  const known = zones.get(id);
  if (known) return known;
  const fixed = FIXED_OFFSET.exec(id);
  let zone: Zone;
  if (fixed) {
    const offset = (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * HOUR_MS + Number(fixed[3] ?? "0") * MINUTE_MS);
    zone = { id, fixedOffset: offset, offsetAt: () => offset };
  } else {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: id,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw illegalArgument(`Unknown time-zone ID: ${id}`);
    }
    const offsets = new Map<number, number>();
    const offsetAt = (utc: number): number => {
      const block = Math.floor(utc / OFFSET_BLOCK_MS);
      const cached = offsets.get(block);
      if (cached !== undefined) return cached;
      const instant = block * OFFSET_BLOCK_MS;
      const fields: Record<string, number> = {};
      for (const part of format.formatToParts(instant)) fields[part.type] = Number(part.value);
      const local = Date.UTC(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
      const offset = local - instant;
      offsets.set(block, offset);
      return offset;
    };
    zone = { id, fixedOffset: null, offsetAt };
  }
  zones.set(id, zone);
  return zone;
}

/** Local wall-clock ms (as if UTC) to the UTC instant; in a gap or overlap, the earlier offset. */
function localToUtcApprox(local: number, zone: Zone): number {
  if (zone.fixedOffset !== null) return local - zone.fixedOffset;
  const guess = local - zone.offsetAt(local - DAY_MS);
  return zone.offsetAt(guess) === local - guess ? guess : local - zone.offsetAt(guess);
}

/** First UTC quarter hour in (from, to] whose offset is `target`; assumes one transition in between. */
function findTransition(zone: Zone, from: number, to: number, target: number): number {
  let low = Math.floor(from / OFFSET_BLOCK_MS) + 1;
  let high = Math.floor(to / OFFSET_BLOCK_MS);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (zone.offsetAt(middle * OFFSET_BLOCK_MS) === target) high = middle;
    else low = middle + 1;
  }
  return low * OFFSET_BLOCK_MS;
}

/**
 * The UTC key of a bucket whose local start is `local`, for a document at `utc` — Elasticsearch's
 * rounding across DST: the latest valid instant not after the document; a local start that falls
 * in a gap maps to the transition; rounding down across a transition restarts from just before it.
 */
function bucketStartToUtc(local: number, utc: number, zone: Zone, round: (utc: number) => number): number {
  const before = zone.offsetAt(local - DAY_MS);
  const after = zone.offsetAt(local + DAY_MS);
  const valid = [before, after].filter((offset, index, all) => all.indexOf(offset) === index && zone.offsetAt(local - offset) === offset);
  if (valid.length === 0) return findTransition(zone, local - after - 1, local - before, after);
  const documentOffset = zone.offsetAt(utc);
  for (let index = valid.length - 1; index >= 0; index--) {
    const instant = local - valid[index]!;
    if (zone.offsetAt(instant) !== documentOffset && instant < utc) {
      const transition = findTransition(zone, instant, utc, documentOffset);
      if (instant < transition) return round(transition - 1);
    }
    if (instant <= utc) return instant;
  }
  return local - valid[0]!;
}

type CalendarUnit = "second" | "minute" | "hour" | "day" | "week" | "month" | "quarter" | "year";
type Interval = { kind: "fixed"; millis: number } | { kind: "calendar"; unit: CalendarUnit };

const CALENDAR_FIXED: Partial<Record<CalendarUnit, number>> = { second: 1000, minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };
const MONDAY_OFFSET_MS = 4 * DAY_MS; // 1970-01-01 was a Thursday; ES weeks start on Monday

function floorDiv(value: number, divisor: number): number {
  return Math.floor(value / divisor) * divisor;
}

/** Rounds a local wall-clock time down to the start of its interval. */
function floorLocal(local: number, interval: Interval): number {
  if (interval.kind === "fixed") return floorDiv(local, interval.millis);
  const fixed = CALENDAR_FIXED[interval.unit];
  if (fixed !== undefined) return floorDiv(local, fixed);
  if (interval.unit === "week") return floorDiv(local - MONDAY_OFFSET_MS, 7 * DAY_MS) + MONDAY_OFFSET_MS;
  const date = new Date(local);
  const year = date.getUTCFullYear();
  if (interval.unit === "year") return Date.UTC(year, 0, 1);
  const month = date.getUTCMonth();
  return Date.UTC(year, interval.unit === "quarter" ? month - (month % 3) : month, 1);
}

function intervalMillisAtLeast(interval: Interval): number {
  if (interval.kind === "fixed") return interval.millis;
  return CALENDAR_FIXED[interval.unit] ?? (interval.unit === "week" ? 7 * DAY_MS : 28 * DAY_MS);
}

/**
 * UTC ms → bucket key (UTC ms) for a date_histogram. With a zone, rounds in local time; when the
 * interval and the offsets are whole quarter hours, every instant of a UTC quarter hour shares a
 * key, so keys are cached per quarter hour.
 */
function createRounder(interval: Interval, zone: Zone | null): (utc: number) => number {
  if (!zone || zone.fixedOffset === 0) {
    if (interval.kind === "fixed") {
      const step = interval.millis;
      return (utc) => Math.floor(utc / step) * step;
    }
    return (utc) => floorLocal(utc, interval);
  }
  if (zone.fixedOffset !== null) {
    const offset = zone.fixedOffset;
    return (utc) => floorLocal(utc + offset, interval) - offset;
  }
  const round = (utc: number): number => bucketStartToUtc(floorLocal(utc + zone.offsetAt(utc), interval), utc, zone, round);
  if (intervalMillisAtLeast(interval) % OFFSET_BLOCK_MS !== 0) return round;
  const keys = new Map<number, number>();
  let lastBlock = Number.NaN;
  let lastKey = 0;
  return (utc) => {
    const block = Math.floor(utc / OFFSET_BLOCK_MS);
    if (block === lastBlock) return lastKey; // documents mostly arrive in time order
    let key = keys.get(block);
    if (key === undefined) {
      if (zone.offsetAt(utc) % OFFSET_BLOCK_MS !== 0) return round(utc);
      key = round(block * OFFSET_BLOCK_MS);
      keys.set(block, key);
    }
    lastBlock = block;
    lastKey = key;
    return key;
  };
}

// ---------------------------------------------------------------------------------------------
// Mappings and field access
// ---------------------------------------------------------------------------------------------

type FieldKind = "date" | "keyword" | "text" | "long";

type MappedField = {
  readonly name: string;
  readonly kind: FieldKind;
  readonly isPrimaryTime: boolean;
  /** `.keyword` multi-fields skip longer strings (ES's default `ignore_above: 256`). */
  readonly ignoreAbove: number | null;
  readonly read: (source: Record<string, unknown>) => Scalar[];
  /** Allocation-free `read` for hot loops: writes the values to out[0, n) and returns n. */
  readonly readInto: Reader;
};

type Reader = (source: Record<string, unknown>, out: Scalar[]) => number;

type FieldTable = {
  readonly fields: ReadonlyMap<string, MappedField>;
  /** The date field documents are kept sorted by: `@timestamp` when mapped, else the first date field. */
  readonly primaryTime: MappedField | null;
};

/**
 * Reads a dotted path from a `_source` that may nest objects (`{"a":{"b":1}}`), use dotted keys
 * (`{"a.b":1}`) or mix both, like Elasticsearch; arrays are flattened and nulls dropped.
 */
function createReader(path: readonly string[]): Reader {
  // joined[depth][n] is the key made of n + 1 segments from `depth`: "a", "a.b", "a.b.c"…
  const joined = path.map((_, start) => path.slice(start).map((__, length) => path.slice(start, start + length + 1).join(".")));
  const pushLeaf = (node: unknown, out: Scalar[], count: number): number => {
    if (Array.isArray(node)) {
      for (const item of node) count = pushLeaf(item, out, count);
    } else if (isScalar(node)) {
      out[count++] = node;
    }
    return count;
  };
  const visit = (node: unknown, depth: number, out: Scalar[], count: number): number => {
    if (depth === path.length) return pushLeaf(node, out, count);
    if (Array.isArray(node)) {
      for (const item of node) count = visit(item, depth, out, count);
      return count;
    }
    if (!isRecord(node)) return count;
    const keys = joined[depth]!;
    for (let length = 0; length < keys.length; length++) {
      const key = keys[length]!;
      if (Object.hasOwn(node, key)) count = visit(node[key], depth + 1 + length, out, count);
    }
    return count;
  };
  const only = path.length === 1 ? path[0]! : null;
  if (only !== null) return (source, out) => (Object.hasOwn(source, only) ? pushLeaf(source[only], out, 0) : 0);
  return (source, out) => visit(source, 0, out, 0);
}

function allocatingReader(readInto: Reader): (source: Record<string, unknown>) => Scalar[] {
  return (source) => {
    const out: Scalar[] = [];
    readInto(source, out);
    return out;
  };
}

function buildFieldTable(mappings: Record<string, FieldType>): FieldTable {
  const declared = Object.entries(mappings);
  const primaryName = mappings["@timestamp"] === "date" ? "@timestamp" : (declared.find(([, type]) => type === "date")?.[0] ?? null);
  const fields = new Map<string, MappedField>();
  for (const [name, type] of declared) {
    const readInto = createReader(name.split("."));
    const read = allocatingReader(readInto);
    const kind: FieldKind = type === "text_with_keyword" ? "text" : type;
    fields.set(name, { name, kind, isPrimaryTime: name === primaryName, ignoreAbove: null, read, readInto });
    if (type === "text_with_keyword") {
      const keywordName = `${name}.keyword`;
      fields.set(keywordName, { name: keywordName, kind: "keyword", isPrimaryTime: false, ignoreAbove: KEYWORD_IGNORE_ABOVE, read, readInto });
    }
  }
  return { fields, primaryTime: primaryName === null ? null : (fields.get(primaryName) ?? null) };
}

const TOKEN_SEPARATOR = /[^\p{L}\p{N}]+/u;

/** The standard analyzer, simplified: lowercase runs of letters and digits. */
function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(TOKEN_SEPARATOR)
    .filter((token) => token.length > 0);
}

function keywordsOf(field: MappedField, doc: StoredDoc): string[] {
  const out: string[] = [];
  for (const value of field.read(doc.source)) {
    const text = typeof value === "string" ? value : String(value);
    if (field.ignoreAbove === null || text.length <= field.ignoreAbove) out.push(text);
  }
  return out;
}

function toLong(value: unknown): number {
  if (typeof value === "number") return Math.trunc(value);
  if (typeof value === "string" && EPOCH_MILLIS.test(value.trim())) return Math.trunc(Number(value));
  return Number.NaN;
}

/** Numeric values of a long or date field (UTC ms for dates). */
function numbersOf(field: MappedField, doc: StoredDoc): number[] {
  if (field.isPrimaryTime) return doc.times ? [...doc.times] : Number.isNaN(doc.time) ? [] : [doc.time];
  const out: number[] = [];
  for (const value of field.read(doc.source)) {
    const number = field.kind === "date" ? parseDateValue(value) : toLong(value);
    if (!Number.isNaN(number)) out.push(number);
  }
  return out;
}

function textValuesOf(field: MappedField, doc: StoredDoc): string[] {
  return field.read(doc.source).map((value) => (typeof value === "string" ? value : String(value)));
}

function hasValue(field: MappedField, doc: StoredDoc): boolean {
  if (field.isPrimaryTime) return !Number.isNaN(doc.time);
  if (field.kind === "keyword") return keywordsOf(field, doc).length > 0;
  if (field.kind === "text") return field.read(doc.source).length > 0;
  return numbersOf(field, doc).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Storage and snapshots
// ---------------------------------------------------------------------------------------------

type StoredDoc = {
  /** Position in its index in indexing order; the low 32 bits of `_shard_doc`. */
  readonly seq: number;
  readonly source: Record<string, unknown>;
  /** Primary timestamp, UTC ms (the smallest when the field holds several); NaN when absent. */
  readonly time: number;
  /** Every primary timestamp, only when the field holds more than one. */
  readonly times: readonly number[] | null;
  readonly index: IndexState;
};

type IndexState = {
  readonly name: string;
  readonly uuid: string;
  /** Auto-generated `_id`s look like ES's: 20 base64url characters, here 12 random + 8 for seq. */
  readonly idPrefix: string;
  readonly docs: StoredDoc[];
  /** Documents with a primary timestamp, by (time, seq); ties keep indexing order. */
  timed: StoredDoc[];
  /** Documents without one, by seq. */
  readonly untimed: StoredDoc[];
  version: number;
  multiTimeCount: number;
};

/**
 * The documents one search (or one point in time) sees, across its shards (one per index,
 * ordered by name). Orders: `inOrder` by _shard_doc; `timed` by (time, _shard_doc).
 */
type Snapshot = {
  readonly indices: readonly IndexState[];
  readonly shardOf: ReadonlyMap<IndexState, number>;
  readonly inOrder: readonly StoredDoc[];
  readonly timed: readonly StoredDoc[];
  readonly untimed: readonly StoredDoc[];
  readonly hasMultiTime: boolean;
  /** Identifies the contents, for caches of full-pass results. */
  readonly cacheKey: string;
};

function createIndexState(name: string): IndexState {
  return {
    name,
    uuid: randomBytes(16).toString("base64url").slice(0, 22),
    idPrefix: randomBytes(9).toString("base64url"),
    docs: [],
    timed: [],
    untimed: [],
    version: 0,
    multiTimeCount: 0,
  };
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Two base64url characters for every 12-bit value. */
const BASE64URL_PAIRS = Array.from({ length: 4096 }, (_, value) => `${BASE64URL[value >>> 6]}${BASE64URL[value & 63]}`);

function documentId(doc: StoredDoc): string {
  const high = Math.floor(doc.seq / 16_777_216); // seq < 2^48: two 24-bit halves, four characters each
  const low = doc.seq % 16_777_216;
  return `${doc.index.idPrefix}${BASE64URL_PAIRS[high >>> 12]}${BASE64URL_PAIRS[high & 4095]}${BASE64URL_PAIRS[low >>> 12]}${BASE64URL_PAIRS[low & 4095]}`;
}

function shardDocOf(snapshot: Snapshot, doc: StoredDoc): number {
  return (snapshot.shardOf.get(doc.index) ?? 0) * SHARD_DOC_SHIFT + doc.seq;
}

/** Merges indexes already sorted by (time, seq) into one sorted by (time, shard, seq). */
function mergeTimed(lists: readonly (readonly StoredDoc[])[]): StoredDoc[] {
  const merged: StoredDoc[] = [];
  const positions = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestTime = Number.POSITIVE_INFINITY;
    for (let shard = 0; shard < lists.length; shard++) {
      const doc = lists[shard]![positions[shard]!];
      if (doc && (best === -1 || doc.time < bestTime)) {
        best = shard;
        bestTime = doc.time;
      }
    }
    if (best === -1) return merged;
    merged.push(lists[best]![positions[best]!]!);
    positions[best]!++;
  }
}

function buildSnapshot(indices: readonly IndexState[], cacheKey: string, copy: boolean): Snapshot {
  const shardOf = new Map(indices.map((index, shard) => [index, shard]));
  const hasMultiTime = indices.some((index) => index.multiTimeCount > 0);
  const only = indices.length === 1 ? indices[0] : undefined;
  if (only) {
    return {
      indices,
      shardOf,
      hasMultiTime,
      cacheKey,
      inOrder: copy ? only.docs.slice() : only.docs,
      timed: copy ? only.timed.slice() : only.timed,
      untimed: copy ? only.untimed.slice() : only.untimed,
    };
  }
  return {
    indices,
    shardOf,
    hasMultiTime,
    cacheKey,
    inOrder: indices.flatMap((index) => index.docs),
    timed: mergeTimed(indices.map((index) => index.timed)),
    untimed: indices.flatMap((index) => index.untimed),
  };
}

/** First position in [from, to) whose time is >= `time`. */
function lowerBound(docs: readonly StoredDoc[], time: number, from = 0, to = docs.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (docs[middle]!.time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position in [from, to) whose time is > `time`. */
function upperBound(docs: readonly StoredDoc[], time: number, from = 0, to = docs.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (docs[middle]!.time <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position in [from, to) — sorted by _shard_doc — whose _shard_doc is > `shardDoc`. */
function firstAfterShardDoc(snapshot: Snapshot, docs: readonly StoredDoc[], shardDoc: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (shardDocOf(snapshot, docs[middle]!) <= shardDoc) low = middle + 1;
    else high = middle;
  }
  return low;
}

// ---------------------------------------------------------------------------------------------
// Query DSL
// ---------------------------------------------------------------------------------------------

type Matcher = (doc: StoredDoc) => boolean;

type CompiledQuery = {
  readonly test: Matcher;
  /** The query implies lo <= primary time <= hi (UTC ms, inclusive), so documents without one never match. */
  readonly bounded: boolean;
  readonly lo: number;
  readonly hi: number;
  /** `test` is exactly "time within [lo, hi]" (or match everything when not bounded): no need to run it. */
  readonly exact: boolean;
  /** Pure filter context: ES scores hits 0.0 instead of 1.0. */
  readonly scoreless: boolean;
};

type QueryContext = {
  readonly table: FieldTable;
  readonly now: number;
  readonly problems: ShardProblems;
  usesNow: boolean;
};

const MATCH_ALL: CompiledQuery = {
  test: () => true,
  bounded: false,
  lo: Number.NEGATIVE_INFINITY,
  hi: Number.POSITIVE_INFINITY,
  exact: true,
  scoreless: false,
};
const MATCH_NONE: CompiledQuery = { test: () => false, bounded: true, lo: 1, hi: 0, exact: true, scoreless: false };

function opaque(test: Matcher): CompiledQuery {
  return { ...MATCH_ALL, test, exact: false };
}

function compileQuery(raw: unknown, ctx: QueryContext): CompiledQuery {
  if (!isRecord(raw)) throw parsingError(`[_na] query malformed, must start with start_object`);
  const keys = Object.keys(raw);
  const type = keys[0];
  if (type === undefined) throw parsingError("query malformed, empty clause found");
  if (keys.length > 1) throw parsingError(`[${type}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const body = raw[type];
  switch (type) {
    case "match_all":
      return MATCH_ALL;
    case "match_none":
      return MATCH_NONE;
    case "bool":
      return compileBool(body, ctx);
    case "constant_score": {
      if (!isRecord(body) || body.filter === undefined) throw parsingError("[constant_score] requires a 'filter' element");
      return { ...compileQuery(body.filter, ctx), scoreless: false };
    }
    case "range":
      return compileRange(body, ctx);
    case "term":
    case "terms":
    case "prefix":
    case "wildcard":
    case "match":
    case "match_phrase":
      return compileFieldQuery(type, body, ctx);
    case "exists": {
      if (!isRecord(body) || typeof body.field !== "string") throw parsingError("[exists] must be provided with a [field]");
      return compileExists(body.field, ctx);
    }
    default:
      throw esError(400, {
        type: "parsing_exception",
        reason: `unknown query [${type}]`,
        caused_by: { type: "named_object_not_found_exception", reason: `unknown field [${type}]` },
      });
  }
}

function compileClauses(value: unknown, ctx: QueryContext): CompiledQuery[] {
  if (value === undefined) return [];
  if (!isRecord(value) && !Array.isArray(value)) throw parsingError("[bool] query does not support clauses that are not objects");
  return toArray(value).map((clause) => compileQuery(clause, ctx));
}

/** `minimum_should_match`: integers, negative integers and percentages of the should clauses. */
function minimumShouldMatch(value: unknown, optional: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const text = String(value).trim();
  const percent = text.endsWith("%");
  const number = Number(percent ? text.slice(0, -1) : text);
  if (!Number.isFinite(number)) throw illegalArgument(`Unable to parse minimum_should_match [${text}]`);
  const count = percent ? Math.trunc((optional * Math.abs(number)) / 100) * Math.sign(number) : Math.trunc(number);
  return Math.max(0, count < 0 ? optional + count : count);
}

const BOOL_KEYS = new Set(["must", "filter", "should", "must_not", "minimum_should_match", "boost", "_name", "adjust_pure_negative"]);

function compileBool(body: unknown, ctx: QueryContext): CompiledQuery {
  if (!isRecord(body)) throw parsingError("[bool] query malformed, expected an object");
  for (const key of Object.keys(body)) if (!BOOL_KEYS.has(key)) throw parsingError(`[bool] query does not support [${key}]`);
  const must = compileClauses(body.must, ctx);
  const filter = compileClauses(body.filter, ctx);
  const should = compileClauses(body.should, ctx);
  const mustNot = compileClauses(body.must_not, ctx);
  const required = [...must, ...filter];
  const needed = minimumShouldMatch(body.minimum_should_match, should.length, required.length === 0 && should.length > 0 ? 1 : 0);
  if (needed > should.length) return { ...MATCH_NONE, scoreless: must.length === 0 };
  const requiredTests = required.map((clause) => clause.test);
  const excludedTests = mustNot.map((clause) => clause.test);
  const optionalTests = needed > 0 ? should.map((clause) => clause.test) : [];
  const test: Matcher = (doc) => {
    for (const matches of requiredTests) if (!matches(doc)) return false;
    for (const matches of excludedTests) if (matches(doc)) return false;
    if (needed === 0) return true;
    let matched = 0;
    for (const matches of optionalTests) if (matches(doc) && ++matched >= needed) return true;
    return false;
  };
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let bounded = false;
  for (const clause of required) {
    if (!clause.bounded) continue;
    bounded = true;
    lo = Math.max(lo, clause.lo);
    hi = Math.min(hi, clause.hi);
  }
  const exact = mustNot.length === 0 && needed === 0 && required.every((clause) => clause.exact);
  const scoreless = must.length === 0 && should.length === 0 && (filter.length > 0 || mustNot.length > 0);
  return { test, bounded, lo, hi, exact, scoreless };
}

/** `{field: params}` with exactly one field, ES's rule for field-level queries. */
function singleField(type: string, body: unknown, ignored: readonly string[] = ["boost", "_name"]): [string, unknown] {
  if (!isRecord(body)) throw parsingError(`[${type}] query malformed, no start_object after query name`);
  const entries = Object.entries(body).filter(([key]) => !ignored.includes(key));
  const first = entries[0];
  if (!first) throw parsingError(`[${type}] query doesn't support an empty field`);
  if (entries.length > 1) throw parsingError(`[${type}] query doesn't support multiple fields, found [${first[0]}] and [${entries[1]![0]}]`);
  return first;
}

function lookupField(name: string, ctx: QueryContext): MappedField | undefined {
  return ctx.table.fields.get(name);
}

const RANGE_KEYS = new Set(["gte", "gt", "lte", "lt", "from", "to", "include_lower", "include_upper", "format", "time_zone", "boost", "_name", "relation"]);

function compileRange(body: unknown, ctx: QueryContext): CompiledQuery {
  const [name, params] = singleField("range", body);
  if (!isRecord(params)) throw parsingError(`[range] query malformed, no start_object after query name`);
  for (const key of Object.keys(params)) if (!RANGE_KEYS.has(key)) throw parsingError(`[range] query does not support [${key}]`);
  const includeLower = params.include_lower !== false;
  const includeUpper = params.include_upper !== false;
  const lower = params.gte ?? params.gt ?? params.from ?? null;
  const upper = params.lte ?? params.lt ?? params.to ?? null;
  const lowerExclusive = params.gte === undefined && (params.gt !== undefined || (params.from !== undefined && !includeLower));
  const upperExclusive = params.lte === undefined && (params.lt !== undefined || (params.to !== undefined && !includeUpper));
  const field = lookupField(name, ctx);
  if (!field) return MATCH_NONE;

  if (field.kind === "keyword" || field.kind === "text") {
    const low = lower === null ? null : String(lower);
    const high = upper === null ? null : String(upper);
    const inRange = (value: string) =>
      (low === null || (lowerExclusive ? value > low : value >= low)) && (high === null || (upperExclusive ? value < high : value <= high));
    return opaque((doc) =>
      field.kind === "keyword" ? keywordsOf(field, doc).some(inRange) : textValuesOf(field, doc).some((text) => tokenize(text).some(inRange)),
    );
  }

  let lo: number;
  let hi: number;
  if (field.kind === "date") {
    const formats = typeof params.format === "string" ? params.format.split("||") : ["strict_date_optional_time", "epoch_millis"];
    for (const format of formats) {
      if (!ISO_FORMATS.has(format) && format !== "epoch_millis" && format !== "epoch_second") {
        throw unsupported(`the date format [${format}] (use strict_date_optional_time, epoch_millis or epoch_second)`);
      }
    }
    const zone = typeof params.time_zone === "string" ? resolveZone(params.time_zone) : null;
    const parse = (value: unknown, roundUp: boolean) => {
      if (typeof value === "string" && value.startsWith("now")) ctx.usesNow = true;
      const millis = parseQueryDate(value, { formats, zone, now: ctx.now, roundUp });
      if (Number.isNaN(millis)) {
        noteShardProblem(ctx.problems, 400, {
          type: "parse_exception",
          reason: `failed to parse date field [${String(value)}] with format [${formats.join("||")}]`,
        });
      }
      return millis;
    };
    // ES rounds date math up for gt and lte, so "gt now/d" excludes the whole current day.
    lo = lower === null ? Number.NEGATIVE_INFINITY : lowerExclusive ? parse(lower, true) + 1 : parse(lower, false);
    hi = upper === null ? Number.POSITIVE_INFINITY : upperExclusive ? parse(upper, false) - 1 : parse(upper, true);
  } else {
    const low = lower === null ? Number.NEGATIVE_INFINITY : Number(lower);
    const high = upper === null ? Number.POSITIVE_INFINITY : Number(upper);
    if (Number.isNaN(low) || Number.isNaN(high)) {
      noteShardProblem(ctx.problems, 400, { type: "number_format_exception", reason: `For input string: "${String(Number.isNaN(low) ? lower : upper)}"` });
    }
    lo = lowerExclusive ? Math.floor(low) + 1 : Math.ceil(low);
    hi = upperExclusive ? Math.ceil(high) - 1 : Math.floor(high);
  }
  const inRange = (value: number) => value >= lo && value <= hi;
  if (field.isPrimaryTime) {
    const test: Matcher = (doc) => (doc.times ? doc.times.some(inRange) : doc.time >= lo && doc.time <= hi);
    return { test, bounded: true, lo, hi, exact: true, scoreless: false };
  }
  return opaque((doc) => numbersOf(field, doc).some(inRange));
}

/** term/terms/prefix/wildcard/match/match_phrase: parse, then build a per-field-type matcher. */
function compileFieldQuery(type: string, body: unknown, ctx: QueryContext): CompiledQuery {
  const valueKey: Record<string, string> = { term: "value", prefix: "value", wildcard: "value", match: "query", match_phrase: "query" };
  const [name, params] = singleField(type, body);
  let values: unknown[];
  let caseInsensitive = false;
  let operator = "or";
  if (type === "terms") {
    if (!Array.isArray(params)) throw unsupported(`[terms] lookup; pass an array of values for [${name}]`);
    values = params;
  } else if (isRecord(params)) {
    const key = valueKey[type] ?? "value";
    const value = type === "wildcard" ? (params.value ?? params.wildcard) : params[key];
    if (value === undefined) throw parsingError(`[${type}] query requires a [${key}] for field [${name}]`);
    for (const param of Object.keys(params)) {
      if (![key, "wildcard", "case_insensitive", "boost", "_name", "operator", "slop", "rewrite"].includes(param)) {
        throw parsingError(`[${type}] query does not support [${param}]`);
      }
    }
    if (params.slop !== undefined && params.slop !== 0) throw unsupported("[match_phrase] with a non-zero [slop]");
    values = [value];
    caseInsensitive = params.case_insensitive === true;
    operator = typeof params.operator === "string" ? params.operator.toLowerCase() : "or";
  } else {
    values = [params];
  }
  for (const value of values) {
    if (!isScalar(value)) throw parsingError(`[${type}] query does not support values of type [${tokenName(value)}]`);
  }
  const field = lookupField(name, ctx);
  if (!field) return MATCH_NONE;
  const strings = values.map((value) => String(value));
  const test = buildFieldMatcher(type, field, strings, caseInsensitive, operator, ctx);
  if (field.isPrimaryTime && type === "term" && strings.length === 1) {
    const time = parseQueryDate(values[0], { formats: ["strict_date_optional_time", "epoch_millis"], zone: null, now: ctx.now, roundUp: false });
    return { test, bounded: true, lo: time, hi: time, exact: true, scoreless: false };
  }
  return opaque(test);
}

function buildFieldMatcher(type: string, field: MappedField, values: string[], caseInsensitive: boolean, operator: string, ctx: QueryContext): Matcher {
  const fold = (text: string) => (caseInsensitive ? text.toLowerCase() : text);
  if (field.kind === "long" || field.kind === "date") {
    if (type === "prefix" || type === "wildcard") {
      noteShardProblem(ctx.problems, 400, {
        type: "query_shard_exception",
        reason: `Can only use ${type} queries on keyword and text fields - not on [${field.name}] which is of type [${field.kind}]`,
      });
      return () => false;
    }
    const wanted = new Set(
      values.map((value) =>
        field.kind === "date"
          ? parseQueryDate(value, { formats: ["strict_date_optional_time", "epoch_millis"], zone: null, now: ctx.now, roundUp: false })
          : toLong(value),
      ),
    );
    return (doc) => numbersOf(field, doc).some((number) => wanted.has(number));
  }
  if (field.kind === "keyword") {
    if (type === "prefix") {
      const prefixes = values.map(fold);
      return (doc) => keywordsOf(field, doc).some((value) => prefixes.some((prefix) => fold(value).startsWith(prefix)));
    }
    if (type === "wildcard") {
      const patterns = values.map((value) => wildcardToRegExp(value, caseInsensitive));
      return (doc) => keywordsOf(field, doc).some((value) => patterns.some((pattern) => pattern.test(value)));
    }
    // match and match_phrase on a keyword field analyze to the whole value: an exact match.
    const wanted = new Set(values.map(fold));
    return (doc) => keywordsOf(field, doc).some((value) => wanted.has(fold(value)));
  }
  // Text: term-level queries look for one indexed token; match queries analyze their input first.
  if (type === "match" || type === "match_phrase") {
    const queryTokens = tokenize(values[0] ?? "");
    if (queryTokens.length === 0) return () => false;
    if (type === "match_phrase") {
      return (doc) => textValuesOf(field, doc).some((text) => containsSequence(tokenize(text), queryTokens));
    }
    return (doc) => {
      const tokens = new Set(textValuesOf(field, doc).flatMap(tokenize));
      return operator === "and" ? queryTokens.every((token) => tokens.has(token)) : queryTokens.some((token) => tokens.has(token));
    };
  }
  if (type === "prefix" || type === "wildcard") {
    const matchesToken =
      type === "prefix"
        ? (token: string) => values.some((prefix) => token.startsWith(fold(prefix)))
        : (token: string) => values.some((pattern) => wildcardToRegExp(pattern, caseInsensitive).test(token));
    return (doc) => textValuesOf(field, doc).some((text) => tokenize(text).some(matchesToken));
  }
  const wanted = new Set(values.map(fold));
  const needles = [...wanted].map((value) => value.toLowerCase());
  return (doc) =>
    textValuesOf(field, doc).some((text) => {
      const lower = text.toLowerCase();
      // Cheap substring check first: most documents do not mention the term at all.
      return needles.some((needle) => lower.includes(needle)) && tokenize(text).some((token) => wanted.has(fold(token)));
    });
}

function containsSequence(tokens: readonly string[], sequence: readonly string[]): boolean {
  outer: for (let start = 0; start + sequence.length <= tokens.length; start++) {
    for (let offset = 0; offset < sequence.length; offset++) if (tokens[start + offset] !== sequence[offset]) continue outer;
    return true;
  }
  return false;
}

function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = [...pattern].map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
}

function compileExists(name: string, ctx: QueryContext): CompiledQuery {
  const field = lookupField(name, ctx);
  if (field) {
    if (field.isPrimaryTime) {
      return {
        test: (doc) => !Number.isNaN(doc.time),
        bounded: true,
        lo: Number.NEGATIVE_INFINITY,
        hi: Number.POSITIVE_INFINITY,
        exact: true,
        scoreless: false,
      };
    }
    return opaque((doc) => hasValue(field, doc));
  }
  // An object field exists when any field below it does.
  const children = [...ctx.table.fields.values()].filter((child) => child.name.startsWith(`${name}.`));
  if (children.length === 0) return MATCH_NONE;
  return opaque((doc) => children.some((child) => hasValue(child, doc)));
}

// ---------------------------------------------------------------------------------------------
// Sort, search_after and _source filtering
// ---------------------------------------------------------------------------------------------

type SortPlan =
  | { kind: "none" }
  | { kind: "shardDoc"; desc: boolean }
  | {
      kind: "date";
      field: MappedField;
      desc: boolean;
      /** Order among equal timestamps, by _shard_doc. */
      tieDesc: boolean;
      /** PIT searches expose the (implicit) _shard_doc tiebreaker as a second sort value. */
      withShardDoc: boolean;
      iso: boolean;
    };

const SORT_OPTION_KEYS = new Set(["order", "format", "numeric_type", "unmapped_type", "missing", "mode"]);

function parseOrder(value: unknown, field: string): boolean {
  if (value === undefined || value === "asc" || value === "ASC") return false;
  if (value === "desc" || value === "DESC") return true;
  throw illegalArgument(`No sort order for [${String(value)}] on field [${field}]; use asc or desc`);
}

type SortEntry = { field: string; desc: boolean; format: string | null };

function parseSortEntries(raw: unknown): SortEntry[] {
  return toArray(raw).map((entry): SortEntry => {
    if (typeof entry === "string") {
      const [field = "", order] = entry.split(":");
      return { field, desc: parseOrder(order, field), format: null };
    }
    if (!isRecord(entry)) throw parsingError(`[sort] malformed, expected a string or an object, found [${tokenName(entry)}]`);
    const [field, options] = singleField("sort", entry, []);
    if (typeof options === "string") return { field, desc: parseOrder(options, field), format: null };
    if (!isRecord(options)) throw parsingError(`[sort] malformed options for [${field}]`);
    for (const key of Object.keys(options)) if (!SORT_OPTION_KEYS.has(key)) throw parsingError(`[field_sort] unknown field [${key}]`);
    if (options.missing !== undefined && options.missing !== "_last") throw unsupported(`[missing: ${String(options.missing)}] in a sort (only _last)`);
    const format = typeof options.format === "string" ? options.format : null;
    return { field, desc: parseOrder(options.order, field), format };
  });
}

function parseSort(raw: unknown, table: FieldTable, hasPit: boolean, problems: ShardProblems): SortPlan {
  if (raw === undefined || raw === null) return { kind: "none" };
  const entries = parseSortEntries(raw);
  if (entries.length === 0) return { kind: "none" };
  const shardDocIndex = entries.findIndex((entry) => entry.field === "_shard_doc");
  if (shardDocIndex >= 0 && !hasPit) throw validationError("[_shard_doc] sort field cannot be used without [point in time]");
  const notSupported = (detail: string) =>
    unsupported(`sorting on ${detail}; it sorts only on a date field, optionally followed by _shard_doc, or on _shard_doc alone`);
  if (shardDocIndex >= 0 && shardDocIndex !== entries.length - 1) throw notSupported("anything after [_shard_doc]");
  const first = entries[0]!;
  if (first.field === "_shard_doc") return { kind: "shardDoc", desc: first.desc };
  if (entries.length > (shardDocIndex >= 0 ? 2 : 1)) throw notSupported(`several fields [${entries.map((entry) => entry.field).join(", ")}]`);
  const field = table.fields.get(first.field);
  if (!field) {
    if (first.field.startsWith("_")) throw notSupported(`[${first.field}]`);
    noteShardProblem(problems, 400, { type: "query_shard_exception", reason: `No mapping found for [${first.field}] in order to sort on` });
    return { kind: "none" };
  }
  if (field.kind === "text") {
    noteShardProblem(problems, 400, fielddataDisabled(field.name, ""), field.name);
    return { kind: "none" };
  }
  if (field.kind !== "date") throw notSupported(`the ${field.kind} field [${field.name}]`);
  if (first.format !== null && first.format !== "epoch_millis" && !ISO_FORMATS.has(first.format)) {
    throw unsupported(`the sort format [${first.format}] (use strict_date_optional_time or epoch_millis)`);
  }
  const tieBreaker = entries[1];
  return {
    kind: "date",
    field,
    desc: first.desc,
    tieDesc: tieBreaker?.desc ?? false,
    withShardDoc: hasPit,
    iso: first.format !== null && first.format !== "epoch_millis",
  };
}

function sortValueCount(plan: SortPlan): number {
  if (plan.kind === "none") return 0;
  if (plan.kind === "shardDoc") return 1;
  return plan.withShardDoc ? 2 : 1;
}

type SearchAfter = { time: number; shardDoc: number | null };

function isMissingSortValue(value: number): boolean {
  return Math.abs(value) >= MISSING_SORT_VALUE / 2;
}

function parseSearchAfter(raw: unknown, plan: SortPlan, problems: ShardProblems): SearchAfter | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) throw parsingError("[search_after] must be an array");
  if (plan.kind === "none") throw unsupported("[search_after] without a sort");
  const expected = sortValueCount(plan);
  if (raw.length !== expected) {
    noteShardProblem(problems, 400, { type: "illegal_argument_exception", reason: `search_after has ${raw.length} value(s) but sort has ${expected}.` });
    return null;
  }
  const number = (value: unknown) => {
    const parsed = typeof value === "number" ? value : typeof value === "string" && EPOCH_MILLIS.test(value) ? Number(value) : Number.NaN;
    if (Number.isNaN(parsed)) throw illegalArgument(`Failed to parse search_after value [${String(value)}]`);
    return parsed;
  };
  if (plan.kind === "shardDoc") return { time: 0, shardDoc: number(raw[0]) };
  const first = raw[0];
  let time: number;
  if (first === MISSING_SORT_ISO_ASC) time = MISSING_SORT_VALUE;
  else if (first === MISSING_SORT_ISO_DESC) time = -MISSING_SORT_VALUE;
  else if (typeof first === "string" && !EPOCH_MILLIS.test(first)) time = parseDateValue(first);
  else time = number(first);
  if (Number.isNaN(time)) throw illegalArgument(`Failed to parse search_after value [${String(first)}]`);
  return { time, shardDoc: plan.withShardDoc ? number(raw[1]) : null };
}

type SourceFilter = { includes: RegExp[]; includePrefixes: string[]; excludes: RegExp[] } | false | null;

function parseSourceFilter(raw: unknown): SourceFilter {
  if (raw === undefined || raw === null || raw === true) return null;
  if (raw === false) return false;
  let includes: unknown[] = [];
  let excludes: unknown[] = [];
  if (typeof raw === "string" || Array.isArray(raw)) includes = toArray(raw);
  else if (isRecord(raw)) {
    includes = raw.includes === undefined ? toArray(raw.include ?? []) : toArray(raw.includes);
    excludes = raw.excludes === undefined ? toArray(raw.exclude ?? []) : toArray(raw.excludes);
  } else throw parsingError("[_source] must be a boolean, a string, an array or an object");
  const patterns = [...includes, ...excludes].map((pattern) => readString(pattern, "_source"));
  const includePatterns = patterns.slice(0, includes.length);
  if (includePatterns.length === 0 && excludes.length === 0) return null;
  return {
    includes: includePatterns.map((pattern) => globToRegExp(pattern)),
    // The literal part before any `*`: a key whose path is a prefix of it may hold matching fields.
    includePrefixes: includePatterns.map((pattern) => pattern.split("*")[0] ?? ""),
    excludes: patterns.slice(includes.length).map((pattern) => globToRegExp(pattern)),
  };
}

/** Keeps the document's own shape (nested objects or dotted keys), like ES's source filtering. */
function filterSource(value: Record<string, unknown>, filter: Exclude<SourceFilter, false | null>, prefix: string, included: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (filter.excludes.some((pattern) => pattern.test(path))) continue;
    const fullyIncluded = included || filter.includes.length === 0 || filter.includes.some((pattern) => pattern.test(path));
    const mayContain = filter.includePrefixes.some((literal) => literal.startsWith(`${path}.`) || `${path}.`.startsWith(literal));
    const kept = filterValue(child, filter, path, fullyIncluded, mayContain);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function filterValue(value: unknown, filter: Exclude<SourceFilter, false | null>, path: string, included: boolean, mayContain: boolean): unknown {
  if (isRecord(value)) {
    if (!included && !mayContain) return undefined;
    const kept = filterSource(value, filter, path, included);
    return Object.keys(kept).length > 0 || included ? kept : undefined;
  }
  if (Array.isArray(value)) {
    const kept = value.map((item) => filterValue(item, filter, path, included, mayContain)).filter((item) => item !== undefined);
    return kept.length > 0 || included ? kept : undefined;
  }
  return included ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Aggregations
// ---------------------------------------------------------------------------------------------

type BucketKey = string | number | null;

type Collector = { collect(doc: StoredDoc): void; finish(): Record<string, unknown> };

type AggNode =
  | { kind: "composite"; name: string; typed: string; sources: CompositeSource[]; size: number; after: BucketKey[] | null; subs: AggNode[] }
  | {
      kind: "terms";
      name: string;
      typed: string;
      field: MappedField | null;
      size: number;
      minDocCount: number;
      byKey: boolean;
      desc: boolean;
      missing: BucketKey | undefined;
      subs: AggNode[];
    }
  | { kind: "filter"; name: string; typed: string; query: CompiledQuery; subs: AggNode[] }
  | { kind: "filters"; name: string; typed: string; filters: { key: string; query: CompiledQuery }[]; subs: AggNode[] }
  | { kind: "top_hits"; name: string; typed: string; size: number; desc: boolean; source: SourceFilter; subs: AggNode[] }
  | { kind: "missing"; name: string; typed: string; field: MappedField | null; subs: AggNode[] }
  | { kind: "min" | "max"; name: string; typed: string; field: MappedField | null; subs: AggNode[] };

type CompositeSource = {
  name: string;
  extract: KeyExtractor;
  compare: (left: BucketKey, right: BucketKey) => number;
  parseAfter: (value: unknown) => BucketKey;
};

const AGG_TYPES = ["composite", "terms", "filter", "filters", "top_hits", "missing", "min", "max"] as const;

/** index.max_inner_result_window's default: the most a top_hits aggregation may return per bucket. */
const MAX_INNER_RESULT_WINDOW = 100;

/** The keyed form of a filters aggregation (`{"filters": {"name": query, ...}}`), the only one supported. */
function parseFiltersAgg(name: string, body: unknown, subs: AggNode[], ctx: QueryContext): AggNode {
  if (!isRecord(body) || !isRecord(body.filters)) throw unsupported("a filters aggregation without keyed filters (only {filters: {name: query}})");
  for (const key of Object.keys(body)) if (key !== "filters") throw unsupported(`[${key}] in a filters aggregation`);
  const filters = Object.entries(body.filters).map(([key, query]) => ({ key, query: compileQuery(query, ctx) }));
  return { kind: "filters", name, typed: `filters#${name}`, filters, subs };
}

/** top_hits sorted on the primary time field only (ES has no _shard_doc outside a search's sort). */
function parseTopHits(name: string, body: unknown, subs: AggNode[], ctx: QueryContext): AggNode {
  if (!isRecord(body)) throw parsingError(`Expected [START_OBJECT] under [top_hits], but got a [${tokenName(body)}]`);
  if (subs.length > 0)
    throw esError(400, { type: "aggregation_initialization_exception", reason: `Aggregator [${name}] of type [top_hits] cannot accept sub-aggregations` });
  for (const key of Object.keys(body)) if (!["size", "sort", "_source"].includes(key)) throw unsupported(`[${key}] in a top_hits aggregation`);
  const size = readInteger(body.size, "size") ?? 3;
  if (size > MAX_INNER_RESULT_WINDOW) {
    throw illegalArgument(
      `Top hits result window is too large, the top hits aggregator [${name}]'s from + size must be less than or equal to: [${MAX_INNER_RESULT_WINDOW}] but was [${size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
    );
  }
  const entries = body.sort === undefined ? [] : parseSortEntries(body.sort);
  if (entries.length !== 1 || !ctx.table.fields.get(entries[0]!.field)?.isPrimaryTime) {
    throw unsupported("a top_hits aggregation not sorted on the primary time field alone");
  }
  return { kind: "top_hits", name, typed: `top_hits#${name}`, size, desc: entries[0]!.desc, source: parseSourceFilter(body._source), subs };
}

function compareKeys(left: BucketKey, right: BucketKey): number {
  if (left === right) return 0;
  if (left === null) return -1;
  if (right === null) return 1;
  if (typeof left === "number" && typeof right === "number") return left - right;
  return compareStrings(String(left), String(right));
}

function parseAggs(raw: unknown, ctx: QueryContext, parent: string | null): AggNode[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw parsingError(`Expected [START_OBJECT] under [aggregations], but got a [${tokenName(raw)}]`);
  return Object.entries(raw).map(([name, definition]) => {
    if (!isRecord(definition)) throw parsingError(`Expected [START_OBJECT] under [${name}], but got a [${tokenName(definition)}]`);
    const types = Object.keys(definition).filter((key) => key !== "aggs" && key !== "aggregations" && key !== "meta");
    const type = types[0];
    if (type === undefined) throw parsingError(`Missing definition for aggregation [${name}]`);
    if (types.length > 1) throw parsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${types[1]}]`);
    const subs = parseAggs(definition.aggs ?? definition.aggregations, ctx, type);
    const body = definition[type];
    switch (type) {
      case "composite":
        if (parent !== null) throw illegalArgument(`[composite] aggregation cannot be used with a parent aggregation of type: [${parent}]`);
        return parseComposite(name, body, subs, ctx);
      case "terms":
        return parseTermsAgg(name, body, subs, ctx);
      case "filter":
        return { kind: "filter", name, typed: `filter#${name}`, query: compileQuery(body, ctx), subs };
      case "filters":
        return parseFiltersAgg(name, body, subs, ctx);
      case "top_hits":
        return parseTopHits(name, body, subs, ctx);
      case "missing": {
        if (!isRecord(body) || typeof body.field !== "string") throw parsingError(`Required one of fields [field, script], but none were specified.`);
        const field = aggregatableField(body.field, ctx);
        return { kind: "missing", name, typed: `missing#${name}`, field, subs };
      }
      case "min":
      case "max": {
        if (!isRecord(body) || typeof body.field !== "string") throw parsingError(`Required one of fields [field, script], but none were specified.`);
        if (subs.length > 0) throw parsingError(`Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
        const field = aggregatableField(body.field, ctx);
        if (field && field.kind === "keyword") throw illegalArgument(`Field [${field.name}] of type [keyword] is not supported for aggregation [${type}]`);
        return { kind: type, name, typed: `${type}#${name}`, field, subs };
      }
      default:
        throw esError(400, {
          type: "parsing_exception",
          reason: `Unknown aggregation type [${type}] (fake-elasticsearch supports ${AGG_TYPES.join(", ")})`,
          caused_by: { type: "named_object_not_found_exception", reason: `unknown field [${type}]` },
        });
    }
  });
}

/** A field aggregations may read; text fields are a shard-level error, as in ES. Null when unmapped. */
function aggregatableField(name: string, ctx: QueryContext): MappedField | null {
  const field = ctx.table.fields.get(name);
  if (!field) return null;
  if (field.kind === "text") noteShardProblem(ctx.problems, 400, fielddataDisabled(name, ""), name);
  return field;
}

/**
 * Writes a document's distinct bucket keys to out[0, n) and returns n (a null key when the value
 * is missing and `missing_bucket` is set). Allocation-free: it runs once per document.
 */
type KeyExtractor = (doc: StoredDoc, out: BucketKey[]) => number;

function keyExtractor(field: MappedField | null, missingBucket: boolean, rounder: ((utc: number) => number) | null): KeyExtractor {
  const finish = (out: BucketKey[], count: number) => {
    if (count > 0 || !missingBucket) return count;
    out[0] = null;
    return 1;
  };
  if (!field) return (_, out) => finish(out, 0);
  const values: Scalar[] = [];
  if (field.isPrimaryTime) {
    const round = rounder ?? ((utc: number) => utc);
    return (doc, out) => {
      if (!doc.times) {
        if (Number.isNaN(doc.time)) return finish(out, 0);
        out[0] = round(doc.time);
        return 1;
      }
      let count = 0;
      for (const time of doc.times) count = addDistinct(out, count, round(time));
      return count;
    };
  }
  if (field.kind === "keyword") {
    return (doc, out) => {
      const found = field.readInto(doc.source, values);
      let count = 0;
      for (let index = 0; index < found; index++) {
        const value = values[index]!;
        const text = typeof value === "string" ? value : String(value);
        if (field.ignoreAbove === null || text.length <= field.ignoreAbove) count = addDistinct(out, count, text);
      }
      return finish(out, count);
    };
  }
  return (doc, out) => {
    let count = 0;
    for (const value of numbersOf(field, doc)) count = addDistinct(out, count, rounder ? rounder(value) : value);
    return finish(out, count);
  };
}

function addDistinct(out: BucketKey[], count: number, key: BucketKey): number {
  for (let index = 0; index < count; index++) if (out[index] === key) return count;
  out[count] = key;
  return count + 1;
}

const FIXED_INTERVAL = /^(\d+)(ms|s|m|h|d)$/;
const CALENDAR_INTERVALS: Record<string, CalendarUnit> = {
  "1s": "second",
  second: "second",
  "1m": "minute",
  minute: "minute",
  "1h": "hour",
  hour: "hour",
  "1d": "day",
  day: "day",
  "1w": "week",
  week: "week",
  "1M": "month",
  month: "month",
  "1q": "quarter",
  quarter: "quarter",
  "1y": "year",
  year: "year",
};

function parseInterval(params: Record<string, unknown>): Interval {
  if (params.interval !== undefined)
    throw badRequest("x_content_parse_exception", "[date_histogram] unknown field [interval], use [fixed_interval] or [calendar_interval]");
  if (typeof params.fixed_interval === "string") {
    const match = FIXED_INTERVAL.exec(params.fixed_interval);
    const units: Record<string, number> = { ms: 1, s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
    if (!match || Number(match[1]) === 0)
      throw illegalArgument(`failed to parse setting [date_histogram.fixedInterval] with value [${params.fixed_interval}] as a time value`);
    return { kind: "fixed", millis: Number(match[1]) * (units[match[2]!] ?? 1) };
  }
  if (typeof params.calendar_interval === "string") {
    const unit = CALENDAR_INTERVALS[params.calendar_interval];
    if (!unit) throw illegalArgument(`The supplied interval [${params.calendar_interval}] could not be parsed as a calendar interval.`);
    return { kind: "calendar", unit };
  }
  throw illegalArgument("Invalid interval specified, must be non-null and non-empty");
}

const COMPOSITE_SOURCE_KEYS = new Set(["field", "order", "missing_bucket", "missing_order", "fixed_interval", "calendar_interval", "interval", "time_zone"]);

function parseComposite(name: string, body: unknown, subs: AggNode[], ctx: QueryContext): AggNode {
  if (!isRecord(body)) throw parsingError(`[composite] aggregation [${name}] must be an object`);
  for (const key of Object.keys(body)) if (!["size", "sources", "after"].includes(key)) throw parsingError(`[composite] unknown field [${key}]`);
  if (!Array.isArray(body.sources) || body.sources.length === 0) throw illegalArgument(`Composite [sources] cannot be null or empty`);
  const sources = body.sources.map((entry): CompositeSource => {
    const [sourceName, definition] = singleField("composite source", entry, []);
    const [type, params] = singleField("composite source", definition, []);
    if (!isRecord(params)) throw parsingError(`[${type}] source [${sourceName}] must be an object`);
    for (const key of Object.keys(params)) {
      if (!COMPOSITE_SOURCE_KEYS.has(key)) throw unsupported(`[${key}] in a composite [${type}] source`);
    }
    if (type !== "terms" && type !== "date_histogram") throw unsupported(`composite sources of type [${type}] (only terms and date_histogram)`);
    if (typeof params.field !== "string") throw unsupported(`a composite source without a [field]`);
    const desc = parseOrder(params.order, params.field);
    const missingBucket = readBoolean(params.missing_bucket, "missing_bucket") ?? false;
    const field = aggregatableField(params.field, ctx);
    let rounder: ((utc: number) => number) | null = null;
    if (type === "date_histogram") {
      const interval = parseInterval(params);
      const zone = typeof params.time_zone === "string" ? resolveZone(params.time_zone) : null;
      if (field && field.kind !== "date" && field.kind !== "long") {
        throw illegalArgument(`Field [${field.name}] of type [${field.kind}] is not supported for aggregation [date_histogram]`);
      }
      rounder = createRounder(interval, zone);
    }
    const isDate = field?.kind === "date";
    return {
      name: sourceName,
      extract: keyExtractor(field, missingBucket, rounder),
      compare: desc ? (left, right) => compareKeys(right, left) : compareKeys,
      parseAfter: (value) => {
        if (value === null) return null;
        if (field?.kind === "keyword" || (!field && typeof value === "string")) return String(value);
        const number = isDate ? parseDateValue(value) : toLong(value);
        if (Number.isNaN(number)) throw illegalArgument(`Invalid value for [after.${sourceName}]: [${String(value)}]`);
        return number;
      },
    };
  });
  const size = readInteger(body.size, "size") ?? 10;
  if (size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${name}]`);
  if (size > MAX_BUCKETS) {
    noteShardProblem(ctx.problems, 400, {
      type: "too_many_buckets_exception",
      reason: `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}] but was [${size}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
      max_buckets: MAX_BUCKETS,
    });
  }
  let after: BucketKey[] | null = null;
  if (body.after !== undefined) {
    const afterKey = body.after;
    if (!isRecord(afterKey)) throw parsingError(`[after] must be an object`);
    if (Object.keys(afterKey).length !== sources.length || sources.some((source) => !Object.hasOwn(afterKey, source.name))) {
      throw illegalArgument(`[after] has ${Object.keys(afterKey).length} value(s) but [sources] has ${sources.length}`);
    }
    after = sources.map((source) => source.parseAfter(afterKey[source.name]));
  }
  return { kind: "composite", name, typed: `composite#${name}`, sources, size, after, subs };
}

function parseTermsAgg(name: string, body: unknown, subs: AggNode[], ctx: QueryContext): AggNode {
  if (!isRecord(body)) throw parsingError(`[terms] aggregation [${name}] must be an object`);
  for (const key of Object.keys(body)) {
    if (!["field", "size", "min_doc_count", "order", "missing", "shard_size", "show_term_doc_count_error", "execution_hint"].includes(key)) {
      throw unsupported(`[${key}] in a [terms] aggregation`);
    }
  }
  if (typeof body.field !== "string") throw unsupported("a [terms] aggregation without a [field]");
  const field = aggregatableField(body.field, ctx);
  const size = readInteger(body.size, "size") ?? 10;
  if (size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${name}]`);
  const minDocCount = readInteger(body.min_doc_count, "min_doc_count") ?? 1;
  if (minDocCount < 1) throw unsupported("[min_doc_count] below 1 in a [terms] aggregation");
  let byKey = false;
  let desc = true;
  if (body.order !== undefined) {
    const orders = toArray(body.order);
    const [orderKey, direction] = singleField("order", orders[0], []);
    if (orders.length > 1 || (orderKey !== "_count" && orderKey !== "_key")) throw unsupported(`ordering a [terms] aggregation by anything but _count or _key`);
    byKey = orderKey === "_key";
    desc = parseOrder(direction, orderKey);
  }
  const missing =
    body.missing === undefined ? undefined : isScalar(body.missing) ? (typeof body.missing === "number" ? body.missing : String(body.missing)) : undefined;
  const typedPrefix = field && field.kind !== "keyword" ? "lterms" : "sterms";
  return { kind: "terms", name, typed: `${typedPrefix}#${name}`, field, size, minDocCount, byKey, desc, missing, subs };
}

type Leaf = { docCount: number; subs: Collector[] };
type Trie = Map<BucketKey, Trie | Leaf>;
type CompositeBucket = { key: BucketKey[]; docCount: number; subs: Record<string, unknown> };
/** Every bucket of a composite aggregation in order; pages are cut from it by `after` and `size`. */
type FullComposite = { buckets: CompositeBucket[] };

function renderSubs(collectors: readonly Collector[], nodes: readonly AggNode[], typedKeys: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  collectors.forEach((collector, index) => {
    const node = nodes[index]!;
    out[typedKeys ? node.typed : node.name] = collector.finish();
  });
  return out;
}

function createCollectors(nodes: readonly AggNode[], typedKeys: boolean): Collector[] {
  return nodes.map((node) => createCollector(node, typedKeys));
}

function createCollector(node: AggNode, typedKeys: boolean): Collector {
  switch (node.kind) {
    case "filter": {
      const subs = createCollectors(node.subs, typedKeys);
      let docCount = 0;
      return {
        collect(doc) {
          if (!node.query.test(doc)) return;
          docCount++;
          for (const sub of subs) sub.collect(doc);
        },
        finish: () => ({ doc_count: docCount, ...renderSubs(subs, node.subs, typedKeys) }),
      };
    }
    case "filters": {
      const buckets = node.filters.map((filter) => ({ ...filter, docCount: 0, subs: createCollectors(node.subs, typedKeys) }));
      return {
        collect(doc) {
          for (const bucket of buckets) {
            if (!bucket.query.test(doc)) continue;
            bucket.docCount++;
            for (const sub of bucket.subs) sub.collect(doc);
          }
        },
        finish: () => ({
          buckets: Object.fromEntries(buckets.map((bucket) => [bucket.key, { doc_count: bucket.docCount, ...renderSubs(bucket.subs, node.subs, typedKeys) }])),
        }),
      };
    }
    case "top_hits": {
      // Collected in time order (the full pass visits documents so); descending takes them from the end.
      const docs: StoredDoc[] = [];
      return {
        collect(doc) {
          docs.push(doc);
        },
        finish: () => {
          const picked = node.desc ? docs.slice(-node.size).reverse() : docs.slice(0, node.size);
          const hits = picked.map((doc) => {
            const hit: Record<string, unknown> = { _index: doc.index.name, _id: documentId(doc), _score: null };
            if (node.source !== false) hit._source = node.source === null ? doc.source : filterSource(doc.source, node.source, "", false);
            hit.sort = [Number.isNaN(doc.time) ? (node.desc ? -MISSING_SORT_VALUE : MISSING_SORT_VALUE) : doc.time];
            return hit;
          });
          return { hits: { total: { value: docs.length, relation: "eq" }, max_score: null, hits } };
        },
      };
    }
    case "missing": {
      const subs = createCollectors(node.subs, typedKeys);
      const field = node.field;
      let docCount = 0;
      return {
        collect(doc) {
          if (field && hasValue(field, doc)) return;
          docCount++;
          for (const sub of subs) sub.collect(doc);
        },
        finish: () => ({ doc_count: docCount, ...renderSubs(subs, node.subs, typedKeys) }),
      };
    }
    case "min":
    case "max": {
      const field = node.field;
      const isMax = node.kind === "max";
      let best = isMax ? -Infinity : Infinity;
      return {
        collect(doc) {
          if (!field) return;
          for (const value of numbersOf(field, doc)) if (isMax ? value > best : value < best) best = value;
        },
        // As ES: null with no value; dates also as an ISO string.
        finish: () =>
          Number.isFinite(best) ? { value: best, ...(field?.kind === "date" ? { value_as_string: new Date(best).toISOString() } : {}) } : { value: null },
      };
    }
    case "terms":
      return createTermsCollector(node, typedKeys);
    case "composite": {
      const composite = createCompositeCollector(node, typedKeys);
      return { collect: composite.collect, finish: () => renderComposite(composite.finishFull(), node) };
    }
  }
}

function createTermsCollector(node: Extract<AggNode, { kind: "terms" }>, typedKeys: boolean): Collector {
  const buckets = new Map<BucketKey, Leaf>();
  const extract = keyExtractor(node.field, false, null);
  const keys: BucketKey[] = [];
  return {
    collect(doc) {
      let count = extract(doc, keys);
      if (count === 0 && node.missing !== undefined) {
        keys[0] = node.missing;
        count = 1;
      }
      for (let index = 0; index < count; index++) {
        const key = keys[index]!;
        let leaf = buckets.get(key);
        if (!leaf) {
          leaf = { docCount: 0, subs: createCollectors(node.subs, typedKeys) };
          buckets.set(key, leaf);
        }
        leaf.docCount++;
        for (const sub of leaf.subs) sub.collect(doc);
      }
    },
    finish() {
      const sign = node.desc ? -1 : 1;
      const entries = [...buckets.entries()].filter(([, leaf]) => leaf.docCount >= node.minDocCount);
      entries.sort(([leftKey, left], [rightKey, right]) =>
        node.byKey ? sign * compareKeys(leftKey, rightKey) : sign * (left.docCount - right.docCount) || compareKeys(leftKey, rightKey),
      );
      const shown = entries.slice(0, node.size);
      const isDate = node.field?.kind === "date";
      return {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: entries.slice(node.size).reduce((sum, [, leaf]) => sum + leaf.docCount, 0),
        buckets: shown.map(([key, leaf]) => ({
          key,
          ...(isDate && typeof key === "number" ? { key_as_string: formatIso(key) } : {}),
          doc_count: leaf.docCount,
          ...renderSubs(leaf.subs, node.subs, typedKeys),
        })),
      };
    },
  };
}

function createCompositeCollector(node: Extract<AggNode, { kind: "composite" }>, typedKeys: boolean) {
  const root: Trie = new Map();
  const sources = node.sources;
  const last = sources.length - 1;
  const keys = sources.map((): BucketKey[] => []);
  const counts = sources.map(() => 0);
  const hasSubs = node.subs.length > 0;
  const childTrie = (trie: Trie, key: BucketKey): Trie => {
    const child = trie.get(key);
    if (child instanceof Map) return child;
    const created: Trie = new Map();
    trie.set(key, created);
    return created;
  };
  const countLeaf = (trie: Trie, key: BucketKey, doc: StoredDoc): void => {
    let leaf = trie.get(key);
    if (leaf instanceof Map) return;
    if (!leaf) {
      leaf = { docCount: 0, subs: hasSubs ? createCollectors(node.subs, typedKeys) : [] };
      trie.set(key, leaf);
    }
    leaf.docCount++;
    if (hasSubs) for (const sub of leaf.subs) sub.collect(doc);
  };
  // A document with several values per source lands in every combination of them.
  const insert = (trie: Trie, level: number, doc: StoredDoc): void => {
    const levelKeys = keys[level]!;
    for (let index = 0; index < counts[level]!; index++) {
      if (level === last) countLeaf(trie, levelKeys[index] ?? null, doc);
      else insert(childTrie(trie, levelKeys[index] ?? null), level + 1, doc);
    }
  };
  const flatten = (trie: Trie, level: number, prefix: BucketKey[], out: CompositeBucket[]): void => {
    const source = sources[level]!;
    for (const key of [...trie.keys()].sort(source.compare)) {
      const child = trie.get(key);
      prefix[level] = key;
      if (child instanceof Map) flatten(child, level + 1, prefix, out);
      else if (child) out.push({ key: prefix.slice(), docCount: child.docCount, subs: renderSubs(child.subs, node.subs, typedKeys) });
    }
  };
  return {
    collect(doc: StoredDoc): void {
      let single = true;
      for (let level = 0; level <= last; level++) {
        const count = sources[level]!.extract(doc, keys[level]!);
        if (count === 0) return;
        counts[level] = count;
        if (count !== 1) single = false;
      }
      if (!single) return insert(root, 0, doc);
      let trie = root;
      for (let level = 0; level < last; level++) trie = childTrie(trie, keys[level]![0] ?? null);
      countLeaf(trie, keys[last]![0] ?? null, doc);
    },
    finishFull(): FullComposite {
      const buckets: CompositeBucket[] = [];
      flatten(root, 0, [], buckets);
      return { buckets };
    },
  };
}

function compareCompositeKeys(sources: readonly CompositeSource[], left: readonly BucketKey[], right: readonly BucketKey[]): number {
  for (let level = 0; level < sources.length; level++) {
    const order = sources[level]!.compare(left[level] ?? null, right[level] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function renderComposite(full: FullComposite, node: Extract<AggNode, { kind: "composite" }>): Record<string, unknown> {
  const buckets = full.buckets;
  let start = 0;
  if (node.after) {
    const after = node.after;
    let high = buckets.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      if (compareCompositeKeys(node.sources, buckets[middle]!.key, after) <= 0) start = middle + 1;
      else high = middle;
    }
  }
  const keyObject = (key: readonly BucketKey[]) => Object.fromEntries(node.sources.map((source, level) => [source.name, key[level] ?? null]));
  const page = buckets.slice(start, start + node.size).map((bucket) => ({ key: keyObject(bucket.key), doc_count: bucket.docCount, ...bucket.subs }));
  const lastBucket = page.at(-1);
  return lastBucket ? { after_key: lastBucket.key, buckets: page } : { buckets: page };
}

// ---------------------------------------------------------------------------------------------
// Search execution
// ---------------------------------------------------------------------------------------------

type Candidates = { docs: readonly StoredDoc[]; start: number; end: number; needsTest: boolean };

/** Where matching documents can be: a binary-searched slice of the time order when the query bounds time. */
function candidatesOf(snapshot: Snapshot, query: CompiledQuery): Candidates {
  if (query.bounded && !snapshot.hasMultiTime) {
    if (query.lo > query.hi) return { docs: snapshot.timed, start: 0, end: 0, needsTest: false };
    const start = lowerBound(snapshot.timed, query.lo);
    return { docs: snapshot.timed, start, end: upperBound(snapshot.timed, query.hi, start), needsTest: !query.exact };
  }
  return { docs: snapshot.inOrder, start: 0, end: snapshot.inOrder.length, needsTest: !query.exact || query.bounded };
}

/** Counts matches, stopping once past `limit` (then the count is limit + 1). */
function countMatches(snapshot: Snapshot, query: CompiledQuery, limit: number): number {
  const { docs, start, end, needsTest } = candidatesOf(snapshot, query);
  if (!needsTest) return end - start;
  let count = 0;
  for (let position = start; position < end && count <= limit; position++) if (query.test(docs[position]!)) count++;
  return count;
}

type Visit = (doc: StoredDoc) => boolean;

/** Visits docs[from, to) — sorted by (time asc, _shard_doc asc) — in the requested directions. */
function visitTimeOrder(docs: readonly StoredDoc[], from: number, to: number, desc: boolean, tieDesc: boolean, visit: Visit): boolean {
  if (desc === tieDesc) {
    if (!desc) {
      for (let position = from; position < to; position++) if (!visit(docs[position]!)) return false;
    } else {
      for (let position = to - 1; position >= from; position--) if (!visit(docs[position]!)) return false;
    }
    return true;
  }
  // Mixed directions: walk runs of equal timestamps, each run in the tiebreaker's direction.
  if (!desc) {
    for (let runStart = from; runStart < to;) {
      const runEnd = upperBound(docs, docs[runStart]!.time, runStart, to);
      for (let position = runEnd - 1; position >= runStart; position--) if (!visit(docs[position]!)) return false;
      runStart = runEnd;
    }
  } else {
    for (let runEnd = to; runEnd > from;) {
      const runStart = lowerBound(docs, docs[runEnd - 1]!.time, from, runEnd);
      for (let position = runStart; position < runEnd; position++) if (!visit(docs[position]!)) return false;
      runEnd = runStart;
    }
  }
  return true;
}

/** Visits a run sorted by _shard_doc, only the part after `shardDoc` in the tiebreaker's direction. */
function visitRunAfter(snapshot: Snapshot, docs: readonly StoredDoc[], from: number, to: number, shardDoc: number, tieDesc: boolean, visit: Visit): boolean {
  const split = firstAfterShardDoc(snapshot, docs, shardDoc, from, to);
  if (!tieDesc) {
    for (let position = split; position < to; position++) if (!visit(docs[position]!)) return false;
  } else {
    const below = firstAfterShardDoc(snapshot, docs, shardDoc - 1, from, split);
    for (let position = below - 1; position >= from; position--) if (!visit(docs[position]!)) return false;
  }
  return true;
}

/**
 * Hits sorted by the primary timestamp, starting after `after` found by binary search, so each
 * page of a search_after walk costs its own size, not a rescan. Documents without a timestamp
 * come last in both directions, as with ES's default `missing: _last`.
 */
function timeSortedHits(
  snapshot: Snapshot,
  query: CompiledQuery,
  plan: Extract<SortPlan, { kind: "date" }>,
  after: SearchAfter | null,
  from: number,
  size: number,
): StoredDoc[] {
  const hits: StoredDoc[] = [];
  let skip = from;
  const candidates = candidatesOf(snapshot, query);
  const useTimedSlice = candidates.docs === snapshot.timed;
  const needsTest = candidates.needsTest || !useTimedSlice;
  const visit: Visit = (doc) => {
    if (needsTest && !query.test(doc)) return true;
    if (skip > 0) {
      skip--;
      return true;
    }
    hits.push(doc);
    return hits.length < size;
  };
  const timed = snapshot.timed;
  const start = useTimedSlice ? candidates.start : 0;
  const end = useTimedSlice ? candidates.end : timed.length;
  const afterMissing = after !== null && isMissingSortValue(after.time);
  let keepGoing = true;
  if (!afterMissing) {
    let from = start;
    let to = end;
    if (after) {
      const runStart = lowerBound(timed, after.time, start, end);
      const runEnd = upperBound(timed, after.time, runStart, end);
      if (after.shardDoc !== null && runStart < runEnd) {
        keepGoing = visitRunAfter(snapshot, timed, runStart, runEnd, after.shardDoc, plan.tieDesc, visit);
      }
      if (plan.desc) to = runStart;
      else from = runEnd;
    }
    if (keepGoing) keepGoing = visitTimeOrder(timed, from, to, plan.desc, plan.tieDesc, visit);
  }
  if (keepGoing && !query.bounded) {
    const untimed = snapshot.untimed;
    let from = 0;
    let to = untimed.length;
    if (afterMissing && after.shardDoc !== null) {
      const split = firstAfterShardDoc(snapshot, untimed, after.shardDoc, 0, untimed.length);
      if (plan.tieDesc) to = firstAfterShardDoc(snapshot, untimed, after.shardDoc - 1, 0, split);
      else from = split;
    } else if (afterMissing) {
      to = from; // every document without a timestamp shares the sort value: none is after it
    }
    visitTimeOrder(untimed, from, to, plan.tieDesc, plan.tieDesc, visit);
  }
  return hits;
}

/** Hits sorted by a date field other than the primary one: collected and sorted per request. */
function otherDateSortedHits(
  snapshot: Snapshot,
  query: CompiledQuery,
  plan: Extract<SortPlan, { kind: "date" }>,
  after: SearchAfter | null,
  from: number,
  size: number,
): { doc: StoredDoc; time: number }[] {
  const rows: { doc: StoredDoc; time: number; shardDoc: number }[] = [];
  const missing = plan.desc ? -MISSING_SORT_VALUE : MISSING_SORT_VALUE;
  for (const doc of snapshot.inOrder) {
    if (!query.test(doc)) continue;
    const values = numbersOf(plan.field, doc);
    const time = values.length === 0 ? missing : plan.desc ? Math.max(...values) : Math.min(...values);
    rows.push({ doc, time, shardDoc: shardDocOf(snapshot, doc) });
  }
  const sign = plan.desc ? -1 : 1;
  const tieSign = plan.tieDesc ? -1 : 1;
  const order = (left: { time: number; shardDoc: number }, right: { time: number; shardDoc: number }) => {
    const leftMissing = isMissingSortValue(left.time);
    const rightMissing = isMissingSortValue(right.time);
    if (leftMissing !== rightMissing) return leftMissing ? 1 : -1;
    return sign * (left.time - right.time) || tieSign * (left.shardDoc - right.shardDoc);
  };
  rows.sort(order);
  const afterRow = after ? { time: after.time, shardDoc: after.shardDoc ?? (plan.tieDesc ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) } : null;
  const remaining = afterRow ? rows.filter((row) => order(row, afterRow) > 0) : rows;
  return remaining.slice(from, from + size);
}

function shardDocSortedHits(snapshot: Snapshot, query: CompiledQuery, desc: boolean, after: SearchAfter | null, from: number, size: number): StoredDoc[] {
  const docs = snapshot.inOrder;
  const hits: StoredDoc[] = [];
  let skip = from;
  let begin = 0;
  let end = docs.length;
  if (after?.shardDoc != null) {
    const split = firstAfterShardDoc(snapshot, docs, after.shardDoc, 0, docs.length);
    if (desc) end = firstAfterShardDoc(snapshot, docs, after.shardDoc - 1, 0, split);
    else begin = split;
  }
  for (let step = 0; step < end - begin && hits.length < size; step++) {
    const doc = docs[desc ? end - 1 - step : begin + step]!;
    if (!query.test(doc)) continue;
    if (skip > 0) skip--;
    else hits.push(doc);
  }
  return hits;
}

/** Unsorted hits come in index order (_shard_doc), as ES returns equal-score documents. */
function indexOrderHits(snapshot: Snapshot, query: CompiledQuery, from: number, size: number): StoredDoc[] {
  const candidates = candidatesOf(snapshot, query);
  if (candidates.docs === snapshot.timed && (candidates.end - candidates.start) * 2 < snapshot.inOrder.length) {
    const matching: StoredDoc[] = [];
    for (let position = candidates.start; position < candidates.end; position++) {
      const doc = candidates.docs[position]!;
      if (!candidates.needsTest || query.test(doc)) matching.push(doc);
    }
    matching.sort((left, right) => shardDocOf(snapshot, left) - shardDocOf(snapshot, right));
    return matching.slice(from, from + size);
  }
  const hits: StoredDoc[] = [];
  let skip = from;
  for (const doc of snapshot.inOrder) {
    if (hits.length >= size) break;
    if (!query.test(doc)) continue;
    if (skip > 0) skip--;
    else hits.push(doc);
  }
  return hits;
}

/** Per top-level aggregation, in request order: every composite bucket, or the rendered result. */
type FullPass = { total: number; aggs: ({ composite: FullComposite } | { rendered: Record<string, unknown> })[] };

function runFullPass(snapshot: Snapshot, query: CompiledQuery, nodes: readonly AggNode[], typedKeys: boolean): FullPass {
  const composites = new Map<AggNode, ReturnType<typeof createCompositeCollector>>();
  const collectors = nodes.map((node): Collector => {
    if (node.kind !== "composite") return createCollector(node, typedKeys);
    const composite = createCompositeCollector(node, typedKeys);
    composites.set(node, composite);
    return { collect: composite.collect, finish: () => ({}) };
  });
  const { docs, start, end, needsTest } = candidatesOf(snapshot, query);
  let total = 0;
  const single = collectors.length === 1 ? collectors[0] : undefined;
  for (let position = start; position < end; position++) {
    const doc = docs[position]!;
    if (needsTest && !query.test(doc)) continue;
    total++;
    if (single) single.collect(doc);
    else for (const collector of collectors) collector.collect(doc);
  }
  return {
    total,
    aggs: nodes.map((node, index) => {
      const composite = composites.get(node);
      return composite ? { composite: composite.finishFull() } : { rendered: collectors[index]!.finish() };
    }),
  };
}

type TotalHits = { value: number; relation: "eq" | "gte" };

function totalOf(count: number, limit: number): TotalHits {
  return count > limit ? { value: limit, relation: "gte" } : { value: count, relation: "eq" };
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

type ParsedRequest = {
  method: string;
  rawUrl: string;
  path: string;
  segments: string[];
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  /** undefined when the request had no body. */
  body: unknown;
};

type Reply = { status: number; payload?: unknown; text?: string; contentType?: string; headers?: Headers };

const COMMON_PARAMS = ["pretty", "human", "error_trace", "format"];
const SEARCH_PARAMS = new Set([
  ...COMMON_PARAMS,
  "size",
  "from",
  "track_total_hits",
  "rest_total_hits_as_int",
  "typed_keys",
  "sort",
  "ignore_unavailable",
  "allow_no_indices",
  "expand_wildcards",
  "ignore_throttled",
  "preference",
  "routing",
  "request_cache",
  "timeout",
  "batched_reduce_size",
  "ccs_minimize_roundtrips",
  "max_concurrent_shard_requests",
  "pre_filter_shard_size",
  "search_type",
  "allow_partial_search_results",
  "track_scores",
]);
const FIELD_CAPS_PARAMS = new Set([
  ...COMMON_PARAMS,
  "fields",
  "ignore_unavailable",
  "allow_no_indices",
  "expand_wildcards",
  "include_unmapped",
  "types",
  "include_empty_fields",
  "filters",
]);
const PIT_PARAMS = new Set([
  ...COMMON_PARAMS,
  "keep_alive",
  "ignore_unavailable",
  "expand_wildcards",
  "preference",
  "routing",
  "allow_partial_search_results",
  "max_concurrent_shard_requests",
]);
const COUNT_PARAMS = new Set([
  ...COMMON_PARAMS,
  "ignore_unavailable",
  "allow_no_indices",
  "expand_wildcards",
  "ignore_throttled",
  "preference",
  "routing",
  "min_score",
  "terminate_after",
]);

const SEARCH_BODY_KEYS = new Set([
  "query",
  "aggs",
  "aggregations",
  "size",
  "from",
  "sort",
  "search_after",
  "_source",
  "track_total_hits",
  "pit",
  "timeout",
  "track_scores",
  "stats",
]);
/** Keys real ES accepts that this fake does not implement: a clear error beats a silent difference. */
const UNSUPPORTED_SEARCH_KEYS = new Set([
  "collapse",
  "explain",
  "ext",
  "highlight",
  "indices_boost",
  "docvalue_fields",
  "knn",
  "rank",
  "min_score",
  "post_filter",
  "profile",
  "rescore",
  "retriever",
  "script_fields",
  "slice",
  "fields",
  "suggest",
  "terminate_after",
  "version",
  "seq_no_primary_term",
  "stored_fields",
  "runtime_mappings",
]);

function checkParams(request: ParsedRequest, allowed: ReadonlySet<string>): void {
  for (const name of Object.keys(request.query)) {
    if (name === "filter_path") throw unsupported("[filter_path]");
    if (!allowed.has(name)) throw illegalArgument(`request [${request.path}] contains unrecognized parameter: [${name}]`);
  }
}

function parseTimeValue(text: string, setting: string): number {
  const match = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw badRequest("parse_exception", `failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`);
  }
  const units: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
  return Number(match[1]) * (units[match[2]!] ?? 1);
}

function checkKeepAlive(millis: number, text: string): void {
  if (millis > MAX_KEEP_ALIVE_MS) {
    throw illegalArgument(
      `Keep alive for request (${text}) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.`,
    );
  }
}

function luceneVersionFor(major: number): { lucene: string; wire: string; index: string } {
  if (major >= 9) return { lucene: "10.1.0", wire: "8.18.0", index: "8.0.0" };
  if (major <= 7) return { lucene: "8.11.1", wire: "6.8.0", index: "6.0.0-beta1" };
  return { lucene: "9.11.1", wire: "7.17.0", index: "7.0.0" };
}

type PendingFault = { fault: Fault; method: string | undefined; path: RegExp | undefined; remaining: number };
type Pit = { id: string; contextId: number; snapshot: Snapshot; expiresAt: number };

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/** Starts the fake on 127.0.0.1 at a random free port. */
export async function startFakeElasticsearch(options: FakeElasticsearchOptions = {}): Promise<FakeElasticsearch> {
  const table = buildFieldTable(options.mappings ?? DEFAULT_MAPPINGS);
  const version = options.version ?? "8.15.3";
  const major = Number(version.split(".")[0]) || 8;
  const forbidden = new Set(options.forbiddenIndices ?? []);
  const clusterUuid = randomBytes(16).toString("base64url").slice(0, 22);
  const dateFields = [...table.fields.values()].filter((field) => field.kind === "date" && !field.isPrimaryTime);

  const indices = new Map<string, IndexState>();
  const pits = new Map<string, Pit>();
  const faults: PendingFault[] = [];
  const requests: RecordedRequest[] = [];
  const liveSnapshots = new Map<string, Snapshot>();
  const passCache = createLru<FullPass>(16);
  const countCache = createLru<number>(64);
  const closing = new AbortController();
  let nextContextId = 1;

  // --- indexing -------------------------------------------------------------------------------

  const indexDocuments = (name: string, documents: readonly Record<string, unknown>[]): void => {
    if (name === "" || name !== name.toLowerCase() || name.startsWith("_") || /[\\/*?"<>| ,#:]/.test(name)) {
      throw new Error(`invalid_index_name_exception: Invalid index name [${name}]`);
    }
    const primary = table.primaryTime;
    // Parse and validate everything first, so a rejected document leaves the index untouched.
    const times = new Float64Array(documents.length).fill(Number.NaN);
    const multiple = new Map<number, number[]>();
    const values: Scalar[] = [];
    const reject = (field: MappedField, position: number, value: unknown) =>
      new Error(`mapper_parsing_exception: failed to parse field [${field.name}] of type [date] in document ${position}: [${String(value)}]`);
    for (let position = 0; position < documents.length; position++) {
      const source = documents[position]!;
      for (const field of dateFields) {
        const found = field.readInto(source, values);
        for (let index = 0; index < found; index++) if (Number.isNaN(parseDateValue(values[index]))) throw reject(field, position, values[index]);
      }
      if (!primary) continue;
      const found = primary.readInto(source, values);
      let earliest = Number.POSITIVE_INFINITY;
      for (let index = 0; index < found; index++) {
        const millis = parseDateValue(values[index]);
        if (Number.isNaN(millis)) throw reject(primary, position, values[index]);
        if (millis < earliest) earliest = millis;
      }
      if (found > 0) times[position] = earliest;
      if (found > 1) multiple.set(position, values.slice(0, found).map(parseDateValue));
    }
    let state = indices.get(name);
    if (!state) {
      state = createIndexState(name);
      indices.set(name, state);
    }
    const batch: StoredDoc[] = [];
    let sorted = true;
    for (let position = 0; position < documents.length; position++) {
      const time = times[position]!;
      const docTimes = multiple.get(position) ?? null;
      const doc: StoredDoc = { seq: state.docs.length, source: documents[position]!, time, times: docTimes, index: state };
      state.docs.push(doc);
      if (docTimes) state.multiTimeCount++;
      if (Number.isNaN(time)) state.untimed.push(doc);
      else {
        if (sorted && batch.length > 0 && batch[batch.length - 1]!.time > time) sorted = false;
        batch.push(doc);
      }
    }
    if (!sorted) batch.sort((left, right) => left.time - right.time); // stable: equal times keep indexing order
    const lastTime = state.timed.at(-1)?.time ?? Number.NEGATIVE_INFINITY;
    if (batch.length > 0 && batch[0]!.time >= lastTime) {
      for (const doc of batch) state.timed.push(doc);
    } else if (batch.length > 0) {
      state.timed = mergeTimed([state.timed, batch]);
    }
    state.version++;
  };

  // --- index expressions and snapshots --------------------------------------------------------

  type Caller = { user: string };

  const resolveIndices = (
    expression: string | undefined,
    query: Record<string, string>,
    caller: Caller,
    action: string,
    defaults: { allowNoIndices: boolean },
  ): IndexState[] => {
    const ignoreUnavailable = readBoolean(query.ignore_unavailable, "ignore_unavailable") ?? false;
    const allowNoIndices = readBoolean(query.allow_no_indices, "allow_no_indices") ?? defaults.allowNoIndices;
    const expandHidden = /\b(all|hidden)\b/.test(query.expand_wildcards ?? "");
    const names = new Set<string>();
    const parts = (expression ?? "_all")
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    for (const part of parts.length === 0 ? ["_all"] : parts) {
      const isExclusion = part.startsWith("-") && names.size > 0;
      const pattern = isExclusion ? part.slice(1) : part;
      if (pattern === "_all" || pattern.includes("*")) {
        const regex = globToRegExp(pattern === "_all" ? "*" : pattern);
        for (const name of indices.keys()) {
          const hidden = name.startsWith(".") && !pattern.startsWith(".");
          if (!regex.test(name) || (hidden && !expandHidden)) continue;
          if (isExclusion) names.delete(name);
          else if (!forbidden.has(name)) names.add(name); // security expands wildcards to authorized indices only
        }
      } else if (isExclusion) {
        names.delete(pattern);
      } else {
        if (forbidden.has(pattern)) throw forbiddenError(caller, action, pattern);
        if (indices.has(pattern)) names.add(pattern);
        else if (!ignoreUnavailable) throw indexNotFound(pattern);
      }
    }
    if (names.size === 0 && !allowNoIndices) throw indexNotFound(expression ?? "_all");
    return [...names].sort(compareStrings).map((name) => indices.get(name)!);
  };

  const forbiddenError = (caller: Caller, action: string, index: string) =>
    esError(403, {
      type: "security_exception",
      reason: `action [${action}] is unauthorized for ${caller.user} with effective roles [fake_reader] on indices [${index}], this action is granted by the index privileges [read,all]`,
    });

  const liveSnapshot = (targets: readonly IndexState[]): Snapshot => {
    const key = `live:${targets.map((index) => `${index.name}@${index.version}`).join(",")}`;
    if (targets.length <= 1) return buildSnapshot(targets, key, false);
    let snapshot = liveSnapshots.get(key);
    if (!snapshot) {
      if (liveSnapshots.size >= 8) liveSnapshots.clear();
      snapshot = buildSnapshot(targets, key, false);
      liveSnapshots.set(key, snapshot);
    }
    return snapshot;
  };

  // --- PITs -----------------------------------------------------------------------------------

  const purgeExpiredPits = () => {
    const now = Date.now();
    for (const [id, pit] of pits) if (pit.expiresAt <= now) pits.delete(id);
  };

  const openPit = (request: ParsedRequest, expression: string, caller: Caller): Reply => {
    checkParams(request, PIT_PARAMS);
    if (request.body !== undefined) {
      if (!isRecord(request.body)) throw parsingError("request body must be an object");
      for (const key of Object.keys(request.body)) {
        if (key === "index_filter") throw unsupported("[index_filter] when opening a point in time");
        throw parsingError(`[open_point_in_time] unknown field [${key}]`);
      }
    }
    const keepAliveText = request.query.keep_alive;
    if (keepAliveText === undefined) throw validationError("[keep_alive] is missing");
    const keepAlive = parseTimeValue(keepAliveText, "keep_alive");
    checkKeepAlive(keepAlive, keepAliveText);
    const targets = resolveIndices(expression, request.query, caller, "indices:data/read/open_point_in_time", { allowNoIndices: true });
    if (targets.length === 0) throw indexNotFound(expression);
    const contextId = nextContextId++;
    const id = Buffer.concat([randomBytes(24), Buffer.from(`:${contextId}`)]).toString("base64");
    const snapshot = buildSnapshot(targets, `pit:${contextId}`, true);
    pits.set(id, { id, contextId, snapshot, expiresAt: Date.now() + keepAlive });
    const shards = targets.length;
    return { status: 200, payload: { id, _shards: { total: shards, successful: shards, skipped: 0, failed: 0 } } };
  };

  const closePit = (request: ParsedRequest): Reply => {
    checkParams(request, new Set(COMMON_PARAMS));
    const body = request.body;
    if (!isRecord(body) || typeof body.id !== "string") throw validationError("[id] is missing");
    purgeExpiredPits();
    const found = pits.delete(body.id);
    return found ? { status: 200, payload: { succeeded: true, num_freed: 1 } } : { status: 404, payload: { succeeded: false, num_freed: 0 } };
  };

  // --- field caps -----------------------------------------------------------------------------

  const fieldCapabilityRows = (): [string, Record<string, unknown>][] => {
    const rows: [string, Record<string, unknown>][] = [];
    const capability = (type: string, searchable: boolean, aggregatable: boolean, metadata = false) => ({
      type,
      metadata_field: metadata,
      searchable,
      aggregatable,
    });
    const names = new Set(table.fields.keys());
    for (const field of table.fields.values()) rows.push([field.name, capability(field.kind, true, field.kind !== "text")]);
    const parents = new Set<string>();
    for (const name of names) {
      const parts = name.split(".");
      for (let length = 1; length < parts.length; length++) {
        const parent = parts.slice(0, length).join(".");
        if (!names.has(parent)) parents.add(parent);
      }
    }
    for (const parent of parents) rows.push([parent, capability("object", false, false)]);
    for (const [name, searchable, aggregatable] of [
      ["_id", true, false],
      ["_ignored", true, false],
      ["_index", true, true],
      ["_routing", true, false],
      ["_seq_no", true, true],
      ["_source", false, false],
      ["_version", false, true],
    ] as const) {
      rows.push([name, capability(name, searchable, aggregatable, true)]);
    }
    return rows.sort(([left], [right]) => compareStrings(left, right));
  };

  const fieldCaps = (request: ParsedRequest, expression: string | undefined, caller: Caller): Reply => {
    checkParams(request, FIELD_CAPS_PARAMS);
    let patterns: string[] | undefined;
    if (request.body !== undefined) {
      if (!isRecord(request.body)) throw parsingError("request body must be an object");
      for (const key of Object.keys(request.body)) {
        if (key === "index_filter" || key === "runtime_mappings") throw unsupported(`[${key}] in field_caps`);
        if (key !== "fields") throw parsingError(`[field_caps] unknown field [${key}]`);
      }
      if (request.body.fields !== undefined) {
        if (request.query.fields !== undefined) {
          throw illegalArgument("can't specify a request body and [fields] request parameter, either specify a request body or the [fields] request parameter");
        }
        patterns = toArray(request.body.fields).map((pattern) => readString(pattern, "fields"));
      }
    }
    patterns ??= request.query.fields
      ?.split(",")
      .map((pattern) => pattern.trim())
      .filter((pattern) => pattern !== "");
    if (!patterns || patterns.length === 0) throw validationError("specified fields can't be null or empty");
    const targets = resolveIndices(expression, request.query, caller, "indices:data/read/field_caps", { allowNoIndices: true });
    if (targets.length === 0) return { status: 200, payload: { indices: [], fields: {} } };
    const matchers = patterns.map((pattern) => globToRegExp(pattern));
    const types = request.query.types?.split(",").filter((type) => type !== "");
    const fields: Record<string, Record<string, unknown>> = {};
    for (const [name, capability] of fieldCapabilityRows()) {
      if (!matchers.some((matcher) => matcher.test(name))) continue;
      if (types && !types.includes(String(capability.type))) continue;
      fields[name] = { [String(capability.type)]: capability };
    }
    return { status: 200, payload: { indices: targets.map((index) => index.name), fields } };
  };

  // --- search ---------------------------------------------------------------------------------

  const searchBody = (request: ParsedRequest): Record<string, unknown> => {
    if (request.body === undefined) return {};
    if (!isRecord(request.body)) throw parsingError(`Expected [START_OBJECT] but found [${tokenName(request.body)}]`);
    for (const [key, value] of Object.entries(request.body)) {
      if (SEARCH_BODY_KEYS.has(key)) continue;
      if (UNSUPPORTED_SEARCH_KEYS.has(key)) throw unsupported(`[${key}] in a search body`);
      throw parsingError(`Unknown key for a ${tokenName(value)} in [${key}].`);
    }
    return request.body;
  };

  const parseTrackTotalHits = (value: unknown): number | false => {
    if (value === undefined || value === null) return DEFAULT_TRACK_TOTAL_HITS;
    if (value === true || value === "true") return Number.POSITIVE_INFINITY;
    if (value === false || value === "false") return false;
    const limit = readInteger(value, "track_total_hits") ?? DEFAULT_TRACK_TOTAL_HITS;
    if (limit === -1) return false;
    if (limit < 0) throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${limit}`);
    return limit;
  };

  /** Resolves the PIT or the index expression to the documents the search sees. */
  const searchSnapshot = (
    request: ParsedRequest,
    body: Record<string, unknown>,
    expression: string | undefined,
    caller: Caller,
    action: string,
  ): { snapshot: Snapshot; pitId: string | null } => {
    const pitSpec = body.pit;
    if (pitSpec === undefined) {
      const targets = resolveIndices(expression, request.query, caller, action, { allowNoIndices: true });
      return { snapshot: liveSnapshot(targets), pitId: null };
    }
    if (!isRecord(pitSpec) || typeof pitSpec.id !== "string") throw parsingError("[pit] requires an [id]");
    purgeExpiredPits();
    const pit = pits.get(pitSpec.id);
    if (!pit) throw searchContextMissing(decodeContextId(pitSpec.id));
    if (typeof pitSpec.keep_alive === "string") {
      const keepAlive = parseTimeValue(pitSpec.keep_alive, "keep_alive");
      checkKeepAlive(keepAlive, pitSpec.keep_alive);
      pit.expiresAt = Date.now() + keepAlive;
    }
    return { snapshot: pit.snapshot, pitId: pit.id };
  };

  const search = (request: ParsedRequest, expression: string | undefined, caller: Caller): Reply => {
    const startedAt = performance.now();
    checkParams(request, SEARCH_PARAMS);
    const body = searchBody(request);
    const size = readInteger(request.query.size, "size") ?? readInteger(body.size, "size") ?? 10;
    const from = readInteger(request.query.from, "from") ?? readInteger(body.from, "from") ?? 0;
    if (size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${size}]`);
    if (from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${from}]`);
    const totalAsInt = readBoolean(request.query.rest_total_hits_as_int, "rest_total_hits_as_int") ?? false;
    const typedKeys = readBoolean(request.query.typed_keys, "typed_keys") ?? false;
    const trackTotalHits = parseTrackTotalHits(request.query.track_total_hits ?? body.track_total_hits ?? (totalAsInt ? true : undefined));
    const hasPit = body.pit !== undefined;
    if (hasPit) {
      const reasons: string[] = [];
      if (expression !== undefined) reasons.push("[indices] cannot be used with point in time. Do not specify any index with point in time.");
      if (["ignore_unavailable", "allow_no_indices", "expand_wildcards"].some((name) => request.query[name] !== undefined)) {
        reasons.push("[indicesOptions] cannot be used with point in time");
      }
      if (request.query.routing !== undefined) reasons.push("[routing] cannot be used with point in time");
      if (request.query.preference !== undefined) reasons.push("[preference] cannot be used with point in time");
      if (reasons.length > 0) throw validationError(...reasons);
    }
    const problems: ShardProblems = { first: null };
    const ctx: QueryContext = { table, now: Date.now(), problems, usesNow: false };
    const query = body.query === undefined ? MATCH_ALL : compileQuery(body.query, ctx);
    if (body.aggs !== undefined && body.aggregations !== undefined) throw parsingError("Found two aggregation definitions: [aggs] and [aggregations]");
    const rawAggs = body.aggs ?? body.aggregations;
    const aggNodes = parseAggs(rawAggs, ctx, null);
    const plan = parseSort(request.query.sort ?? body.sort, table, hasPit, problems);
    const after = parseSearchAfter(body.search_after, plan, problems);
    if (after && from > 0) throw validationError("`from` parameter must be set to 0 when `search_after` is used.");
    const sourceFilter = parseSourceFilter(body._source);
    if (from + size > MAX_RESULT_WINDOW) {
      noteShardProblem(problems, 400, {
        type: "illegal_argument_exception",
        reason: `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
      });
    }
    const { snapshot, pitId } = searchSnapshot(request, body, expression, caller, "indices:data/read/search");
    throwShardProblems(problems, snapshot);

    // Full-pass results depend on the documents and the query, not on the page: cache them per snapshot.
    const baseKey = ctx.usesNow ? null : `${snapshot.cacheKey}|${JSON.stringify(body.query ?? null)}`;
    let exactCount: number | null = null;
    let pass: FullPass | null = null;
    if (aggNodes.length > 0) {
      const aggKey = baseKey === null ? null : `${baseKey}|aggs|${typedKeys}|${JSON.stringify(withoutCompositePaging(rawAggs))}`;
      pass = passCache.getOrCompute(aggKey, () => runFullPass(snapshot, query, aggNodes, typedKeys));
      exactCount = pass.total;
    }
    let total: TotalHits | null = null;
    if (trackTotalHits !== false) {
      const limit = trackTotalHits;
      const count = exactCount ?? countCache.getOrCompute(baseKey === null ? null : `${baseKey}|count|${limit}`, () => countMatches(snapshot, query, limit));
      total = totalOf(count, limit);
    }

    const sorted = plan.kind !== "none";
    const score = sorted ? null : query.scoreless ? 0 : 1;
    const hits: Record<string, unknown>[] = [];
    const render = (doc: StoredDoc, sort: unknown[] | undefined) => {
      const hit: Record<string, unknown> = { _index: doc.index.name, _id: documentId(doc), _score: score };
      if (sourceFilter !== false) hit._source = sourceFilter === null ? doc.source : filterSource(doc.source, sourceFilter, "", false);
      if (sort) hit.sort = sort;
      hits.push(hit);
    };
    if (size > 0) {
      if (plan.kind === "none") {
        for (const doc of indexOrderHits(snapshot, query, from, size)) render(doc, undefined);
      } else if (plan.kind === "shardDoc") {
        for (const doc of shardDocSortedHits(snapshot, query, plan.desc, after, from, size)) render(doc, [shardDocOf(snapshot, doc)]);
      } else {
        const timeValue = (time: number) => {
          if (Number.isNaN(time) || isMissingSortValue(time)) {
            if (plan.iso) return plan.desc ? MISSING_SORT_ISO_DESC : MISSING_SORT_ISO_ASC;
            return plan.desc ? -MISSING_SORT_VALUE : MISSING_SORT_VALUE;
          }
          return plan.iso ? formatIso(time) : time;
        };
        const sortValues = (doc: StoredDoc, time: number) => (plan.withShardDoc ? [timeValue(time), shardDocOf(snapshot, doc)] : [timeValue(time)]);
        if (plan.field.isPrimaryTime) {
          for (const doc of timeSortedHits(snapshot, query, plan, after, from, size)) render(doc, sortValues(doc, doc.time));
        } else {
          for (const row of otherDateSortedHits(snapshot, query, plan, after, from, size)) render(row.doc, sortValues(row.doc, row.time));
        }
      }
    }

    const shards = snapshot.indices.length;
    const maxScore = score === null || hits.length === 0 ? null : score;
    const hitsObject: Record<string, unknown> = {};
    if (total) hitsObject.total = totalAsInt ? total.value : total;
    hitsObject.max_score = maxScore;
    hitsObject.hits = hits;
    const payload: Record<string, unknown> = {};
    if (pitId !== null) payload.pit_id = pitId;
    payload.took = Math.max(0, Math.round(performance.now() - startedAt));
    payload.timed_out = false;
    payload._shards = { total: shards, successful: shards, skipped: 0, failed: 0 };
    payload.hits = hitsObject;
    if (pass) {
      const aggregations: Record<string, unknown> = {};
      aggNodes.forEach((node, index) => {
        const result = pass.aggs[index];
        if (!result) return;
        aggregations[typedKeys ? node.typed : node.name] =
          "composite" in result ? (node.kind === "composite" ? renderComposite(result.composite, node) : {}) : result.rendered;
      });
      payload.aggregations = aggregations;
    }
    return { status: 200, payload };
  };

  const count = (request: ParsedRequest, expression: string | undefined, caller: Caller): Reply => {
    checkParams(request, COUNT_PARAMS);
    let rawQuery: unknown;
    if (request.body !== undefined) {
      if (!isRecord(request.body)) throw parsingError(`Expected [START_OBJECT] but found [${tokenName(request.body)}]`);
      for (const key of Object.keys(request.body)) if (key !== "query") throw parsingError(`request does not support [${key}]`);
      rawQuery = request.body.query;
    }
    const problems: ShardProblems = { first: null };
    const ctx: QueryContext = { table, now: Date.now(), problems, usesNow: false };
    const query = rawQuery === undefined ? MATCH_ALL : compileQuery(rawQuery, ctx);
    const targets = resolveIndices(expression, request.query, caller, "indices:data/read/search", { allowNoIndices: true });
    const snapshot = liveSnapshot(targets);
    throwShardProblems(problems, snapshot);
    const shards = targets.length;
    return {
      status: 200,
      payload: { count: countMatches(snapshot, query, Number.POSITIVE_INFINITY), _shards: { total: shards, successful: shards, skipped: 0, failed: 0 } },
    };
  };

  const rootInfo = (): Reply => {
    const versions = luceneVersionFor(major);
    return {
      status: 200,
      payload: {
        name: "fake-es-node-0",
        cluster_name: "fake-elasticsearch",
        cluster_uuid: clusterUuid,
        version: {
          number: version,
          build_flavor: "default",
          build_type: "docker",
          build_hash: "0000000000000000000000000000000000000000",
          build_date: "2024-10-09T22:08:00.328917561Z",
          build_snapshot: false,
          lucene_version: versions.lucene,
          minimum_wire_compatibility_version: versions.wire,
          minimum_index_compatibility_version: versions.index,
        },
        tagline: "You Know, for Search",
      },
    };
  };

  // --- routing --------------------------------------------------------------------------------

  const authenticate = (request: ParsedRequest): Caller => {
    const auth = options.auth;
    if (!auth) return { user: "user [elastic]" };
    const header = request.headers.authorization;
    const challenge = { "WWW-Authenticate": ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', "ApiKey"] };
    const fail = (reason: string) => esError(401, { type: "security_exception", reason, header: challenge }, challenge);
    if (!header) throw fail(`missing authentication credentials for REST request [${request.rawUrl}]`);
    if ("apiKey" in auth) {
      if (header === `ApiKey ${auth.apiKey}`) return { user: "API key id [fake-api-key] of user [fake-user]" };
      throw fail("unable to authenticate with provided credentials and anonymous access is not allowed for this request");
    }
    const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
    if (header === expected) return { user: `user [${auth.username}]` };
    const given = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString().split(":")[0] : "";
    throw fail(`unable to authenticate user [${given ?? ""}] for REST request [${request.rawUrl}]`);
  };

  const route = (request: ParsedRequest): Reply => {
    const { method, segments } = request;
    const caller = authenticate(request);
    const allow = (allowed: string[]) => {
      if (!allowed.includes(method)) {
        throw new EsHttpError(405, {
          error: `Incorrect HTTP method for uri [${request.rawUrl}] and method [${method}], allowed: [${allowed.join(", ")}]`,
          status: 405,
        });
      }
    };
    const [first, second, ...rest] = segments;
    if (first === undefined) {
      allow(["GET", "HEAD"]);
      return rootInfo();
    }
    if (rest.length === 0) {
      const endpoint = second ?? first;
      const expression = second === undefined ? undefined : first;
      if (expression === undefined || !expression.startsWith("_") || expression === "_all") {
        switch (endpoint) {
          case "_search":
            allow(["GET", "POST"]);
            return search(request, expression, caller);
          case "_count":
            allow(["GET", "POST"]);
            return count(request, expression, caller);
          case "_field_caps":
            allow(["GET", "POST"]);
            return fieldCaps(request, expression, caller);
          case "_pit":
            if (expression === undefined) {
              allow(["DELETE"]);
              return closePit(request);
            }
            allow(["POST"]);
            return openPit(request, expression, caller);
        }
      }
    }
    throw new EsHttpError(400, { error: `no handler found for uri [${request.rawUrl}] and method [${method}]`, status: 400 });
  };

  const faultReply = (fault: Extract<Fault, { status: number }>): Reply => {
    const headers: Headers = fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
    if (fault.status === 502) {
      return {
        status: 502,
        text: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        contentType: "text/html",
        headers,
      };
    }
    const causes: Record<number, ErrorCause> = {
      429: {
        type: "es_rejected_execution_exception",
        reason:
          "rejected execution of TimedRunnable{original=ActionRunnable#wrap[fake-search]} on TaskExecutionTimeTrackingEsThreadPoolExecutor[name = fake-es-node-0/search, queue capacity = 1000, task execution EWMA = 1.2ms, total task execution time = 1.5m]",
      },
      500: { type: "exception", reason: "fake-elasticsearch: injected internal server error" },
      503: { type: "cluster_block_exception", reason: "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];" },
    };
    const cause = causes[fault.status] ?? { type: "exception", reason: "fake-elasticsearch: injected fault" };
    return { status: fault.status, payload: { error: { root_cause: [cause], ...cause }, status: fault.status }, headers };
  };

  const takeFault = (method: string, path: string): Fault | undefined => {
    const position = faults.findIndex((pending) => {
      if (pending.method && pending.method.toUpperCase() !== method) return false;
      if (!pending.path) return true;
      pending.path.lastIndex = 0;
      return pending.path.test(path);
    });
    const pending = faults[position];
    if (!pending) return undefined;
    if (--pending.remaining <= 0) faults.splice(position, 1);
    return pending.fault;
  };

  /** Content negotiation: the client asks for `compatible-with=N` on both headers; ES accepts N and N-1. */
  const negotiate = (request: ParsedRequest): string => {
    const compat = (header: string | undefined) => /application\/vnd\.elasticsearch\+[a-z-]+\s*;\s*compatible-with\s*=\s*(\d+)/i.exec(header ?? "")?.[1];
    const accept = compat(request.headers.accept);
    const contentType = request.body === undefined ? undefined : request.headers["content-type"];
    const bodyCompat = compat(contentType);
    if (request.body !== undefined) {
      const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json" && type !== "application/vnd.elasticsearch+json" && type !== "application/x-ndjson") {
        throw new EsHttpError(406, { error: `Content-Type header [${contentType ?? ""}] is not supported`, status: 406 });
      }
    }
    const requested = accept ?? bodyCompat;
    if (requested !== undefined) {
      const mismatch = contentType !== undefined && bodyCompat !== accept && accept !== undefined;
      const wanted = Number(requested);
      if (mismatch || (wanted !== major && wanted !== major - 1)) {
        const reason = "Invalid media-type value on headers [Accept, Content-Type]";
        throw esError(400, {
          type: "media_type_header_exception",
          reason,
          caused_by: {
            type: "status_exception",
            reason: `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=${request.headers.accept ?? "null"}, Content-Type=${contentType ?? "null"}`,
          },
        });
      }
      return `application/vnd.elasticsearch+json;compatible-with=${requested}`;
    }
    return "application/json";
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedMs = performance.now();
    const raw = await readBody(incoming);
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    const segments = url.pathname
      .split("/")
      .filter((segment) => segment !== "")
      .map((segment) => safeDecode(segment));
    const path = `/${segments.join("/")}`;
    const method = (incoming.method ?? "GET").toUpperCase();
    const text = raw.toString("utf8");
    let body: unknown;
    let bodyError: string | null = null;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch (error) {
        bodyError = error instanceof Error ? error.message : String(error);
      }
    }
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      requestBytes: raw.length,
      responseBytes: 0,
      status: 0,
      body: body === undefined ? null : body,
      startedMs,
      handlingMs: 0,
    };
    requests.push(record);
    const request: ParsedRequest = { method, rawUrl: `${url.pathname}${url.search}`, path, segments, query: record.query, headers: incoming.headers, body };

    const fault = takeFault(method, path);
    if (fault && "delayMs" in fault) {
      try {
        await sleep(fault.delayMs, closing.signal);
      } catch {
        return;
      }
    }
    if (fault && "expirePit" in fault) pits.clear();
    if (fault && "drop" in fault && fault.drop === "before-response") {
      incoming.socket.destroy();
      return;
    }

    let reply: Reply;
    let contentType = "application/json";
    if (fault && "status" in fault) {
      reply = faultReply(fault);
    } else {
      try {
        contentType = negotiate(request);
        if (bodyError !== null) {
          throw esError(400, { type: "x_content_parse_exception", reason: `[1:1] Unexpected character in request body: ${bodyError}` });
        }
        reply = route(request);
      } catch (error) {
        if (error instanceof EsHttpError) reply = { status: error.status, payload: error.payload, headers: error.headers };
        else {
          // A bug in the fake: surface it loudly instead of pretending to be ES.
          const reason = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
          reply = {
            status: 500,
            payload: { error: { root_cause: [{ type: "fake_elasticsearch_bug", reason }], type: "fake_elasticsearch_bug", reason }, status: 500 },
          };
        }
      }
    }
    const pretty = request.query.pretty !== undefined && request.query.pretty !== "false";
    const payloadText = reply.text ?? (reply.payload === undefined ? "" : JSON.stringify(reply.payload, null, pretty ? 2 : undefined));
    const bytes = method === "HEAD" ? Buffer.alloc(0) : Buffer.from(payloadText, "utf8");
    const headers: Headers = {
      "x-elastic-product": "Elasticsearch",
      "content-type": reply.contentType ?? contentType,
      "content-length": String(bytes.length),
      ...reply.headers,
    };
    record.status = reply.status;
    if (response.destroyed) return;
    if (fault && "drop" in fault) {
      // mid-body: promise the full body, send about half, then cut the connection.
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      record.responseBytes = half.length;
      response.writeHead(reply.status, headers);
      response.write(half, () => response.destroy());
      return;
    }
    record.responseBytes = bytes.length;
    response.writeHead(reply.status, headers);
    response.end(bytes);
    record.handlingMs = performance.now() - startedMs;
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      if (!response.headersSent) response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake-elasticsearch: no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    index: indexDocuments,
    clearFaults() {
      faults.length = 0;
    },
    inject(fault, match = {}) {
      faults.push({ fault, method: match.method, path: match.path, remaining: match.times ?? 1 });
    },
    requests,
    resetRequests() {
      requests.length = 0;
    },
    openPitCount() {
      purgeExpiredPits();
      return pits.size;
    },
    expireAllPits() {
      pits.clear();
    },
    close() {
      closing.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A small least-recently-used cache; a null key computes without caching. */
function createLru<V>(capacity: number) {
  const entries = new Map<string, V>();
  return {
    getOrCompute(key: string | null, compute: () => V): V {
      if (key === null) return compute();
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const value = compute();
      entries.set(key, value);
      const oldest = entries.keys().next();
      if (entries.size > capacity && !oldest.done) entries.delete(oldest.value);
      return value;
    },
  };
}

/** PIT ids end with ":<context id>" before base64; unknown ids report context 0, as ES reports its own number. */
function decodeContextId(id: string): number {
  const decoded = Buffer.from(id, "base64").toString("latin1");
  const match = /:(\d+)$/.exec(decoded);
  return match ? Number(match[1]) : 0;
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => resolve(Buffer.concat(chunks)));
    incoming.on("error", reject);
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("closing"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("closing"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The cache key of a search's aggregations ignores top-level composite paging (`after`, `size`). */
function withoutCompositePaging(rawAggs: unknown): unknown {
  if (!isRecord(rawAggs)) return rawAggs;
  return Object.fromEntries(
    Object.entries(rawAggs).map(([name, definition]) => {
      if (!isRecord(definition) || !isRecord(definition.composite)) return [name, definition];
      const composite = Object.fromEntries(Object.entries(definition.composite).filter(([key]) => key !== "after" && key !== "size"));
      return [name, { ...definition, composite }];
    }),
  );
}
