import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { mergeSpans } from "@/lib/pipeline/coverage";
import {
  VERSIONS_SEEN_BUCKET_MS,
  type CountReport,
  type LogDocument,
  type LogSource,
  type SkippedDocuments,
  type TimeRange,
  type VersionSeen,
  type VersionsSeen,
  type WindowCounts,
} from "@/lib/pipeline/log-document";
import { InvalidInputError } from "@/lib/errors";
import type { WindowGrid } from "@/lib/pipeline/time";
import { accessorsOf, messageText, optionalText, versionText, type FieldMapping } from "./field-mapping";

export type FileSourceOptions = {
  fields: FieldMapping;
  /** Levels that count as errors, compared case-insensitively. */
  errorLevels: readonly string[];
  grid: WindowGrid;
  /** A stretch longer than this without any line (ms) breaks a file's coverage (default two hours). */
  maxSilenceMs?: number;
};

const MAX_EXAMPLES = 25;

/** A problem with the input files, reported to the user as invalid input. */
export class InputError extends InvalidInputError {}

// In folders, only log files are read (so that e.g. a labels.json beside them is not).
const LOG_FILE = /\.(ndjson|jsonl|log|txt)(\.gz)?$/i;

/** Every file named by the paths: a file itself, or the log files of a folder (recursively, sorted, hidden ones left out). */
export async function listInputFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (entry: string, isNamed: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(entry);
    } catch {
      throw new InputError(`Input not found: ${entry}`);
    }
    if (info.isFile()) {
      if (isNamed || LOG_FILE.test(entry)) files.push(entry);
      return;
    }
    if (!info.isDirectory()) throw new InputError(`Input is neither a file nor a folder: ${entry}`);
    const names = (await readdir(entry)).filter((name) => !name.startsWith(".")).sort();
    for (const name of names) await visit(path.join(entry, name), false);
  };
  for (const entry of paths) await visit(entry, true);
  return files;
}

const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const DATE_TIME_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** True for a real calendar date and time of day (Date.UTC and Date.parse roll 30 February over instead). */
function isWallClock(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function hasValidDateTimeParts(value: string): boolean {
  const match = DATE_TIME_PREFIX.exec(value);
  if (!match) return true;
  return isWallClock(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0));
}

const DIGIT_0 = 48;

/** Two or four ASCII digits at a position as a number, or -1. */
function digitsAt(text: string, position: number, length: number): number {
  let value = 0;
  for (let index = position; index < position + length; index += 1) {
    const digit = text.charCodeAt(index) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The common case, `YYYY-MM-DDTHH:MM:SS[.fff…]Z`, read without a regular expression or
 * Date.parse (the hot path of ingestion); null when the text has another form.
 */
function parseUtcTimestamp(text: string): number | null {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 90 /* Z */) return null;
  if (text[4] !== "-" || text[7] !== "-" || (text[10] !== "T" && text[10] !== " ") || text[13] !== ":" || text[16] !== ":") return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  let milliseconds = 0;
  if (length > 20) {
    const fractionLength = length - 21;
    if ((text[19] !== "." && text[19] !== ",") || fractionLength < 1 || fractionLength > 9) return null;
    const fraction = digitsAt(text, 20, fractionLength);
    if (fraction < 0) return null;
    milliseconds = Math.floor((fraction * 1000) / 10 ** fractionLength);
  }
  if (!isWallClock(year, month, day, hour, minute, second)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
}

/** Parses a timestamp: epoch milliseconds (or seconds), ISO-8601 with an offset, or local time in the grid's timezone. */
export function parseTimestamp(value: unknown, grid: WindowGrid): number | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return value < 100_000_000_000 ? value * 1000 : value;
  }
  if (typeof value !== "string" || value.length === 0) return null;
  const utc = parseUtcTimestamp(value);
  if (utc !== null) return Number.isNaN(utc) ? null : utc;
  if (OFFSET_SUFFIX.test(value)) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) || !hasValidDateTimeParts(value) ? null : parsed;
  }
  const match = LOCAL_TIMESTAMP.exec(value);
  if (!match || !hasValidDateTimeParts(value)) return null;
  const wallClock = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? 0),
    Number((match[7] ?? "0").padEnd(3, "0").slice(0, 3)),
  );
  if (Number.isNaN(wallClock)) return null;
  // The offset in force at that local time: look it up near the guess, then once more.
  let instant = wallClock - grid.offsetAt(wallClock);
  instant = wallClock - grid.offsetAt(instant);
  return instant;
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Calls `onLine` for every line of a file, gunzipped when it is gzip-compressed (detected by its
 * first bytes). Lines are cut from the raw bytes (a newline byte never occurs inside a UTF-8
 * sequence) and handed over synchronously: no per-line promise, unlike readline's iterator.
 */
export async function forEachLine(file: string, onLine: (line: string) => void): Promise<void> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const input: AsyncIterable<Buffer> = (await isGzip(file)) ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  let remainder: Buffer | null = null;
  const emit = (buffer: Buffer, start: number, end: number) => {
    onLine(buffer.toString("utf8", start, end > start && buffer[end - 1] === CARRIAGE_RETURN ? end - 1 : end));
  };
  try {
    for await (const chunk of input) {
      const buffer: Buffer = remainder ? Buffer.concat([remainder, chunk]) : chunk;
      let start = 0;
      let newline = buffer.indexOf(NEWLINE, start);
      while (newline !== -1) {
        emit(buffer, start, newline);
        start = newline + 1;
        newline = buffer.indexOf(NEWLINE, start);
      }
      remainder = start < buffer.length ? buffer.subarray(start) : null;
    }
    if (remainder) emit(remainder, 0, remainder.length);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
    const reason =
      code === "Z_BUF_ERROR"
        ? "the gzip data ends early (truncated file?)"
        : code.startsWith("Z_")
          ? "it is not valid gzip data"
          : error instanceof Error
            ? error.message
            : String(error);
    throw new InputError(`Cannot read ${file}: ${reason}`);
  } finally {
    raw.destroy();
  }
}

export type DocumentVisitor = (document: LogDocument) => void;

/** One input file as read: the instants of its first and last document (any level), and its error documents counted. */
export type FileSpan = { file: string; fromMs: number; toMs: number; documents: number };

const DEFAULT_MAX_SILENCE_MS = 2 * 3_600_000;
/** Lines are grouped into buckets this long (UTC ms) to find the silences of a file without keeping every time. */
const SILENCE_BUCKET_MS = 5 * 60_000;

/**
 * The spans a file's lines cover: from its first line to its last, broken wherever no line
 * occurs for longer than `maxSilenceMs`. `buckets` holds, per 5-minute bucket with a line, the
 * times of its first and last line.
 */
function spansOfBuckets(buckets: ReadonlyMap<number, { first: number; last: number }>, maxSilenceMs: number): TimeRange[] {
  const spans: TimeRange[] = [];
  for (const key of [...buckets.keys()].sort((left, right) => left - right)) {
    const bucket = buckets.get(key)!;
    const open = spans[spans.length - 1];
    if (open && bucket.first - open.toMs <= maxSilenceMs) open.toMs = Math.max(open.toMs, bucket.last);
    else spans.push({ fromMs: bucket.first, toMs: bucket.last });
  }
  return spans;
}

/**
 * Reads error documents from NDJSON files (optionally gzip-compressed, optionally Elasticsearch
 * hits with `_source`) and counts them per window and namespace. Bad lines never stop the run:
 * they are counted per reason with the first places they occur, and the versions are noted per
 * UTC day and namespace (first and last document). Memory is bounded by windows × namespaces
 * and days × namespaces × versions, not by documents.
 */
export async function countFiles(
  files: readonly string[],
  options: FileSourceOptions,
  range: { fromMs: number; toMs: number } | null,
  hooks: { onDocument?: DocumentVisitor; onFileDone?: (file: string, bytes: number) => void } = {},
): Promise<CountReport & { files: FileSpan[] }> {
  const field = accessorsOf(options.fields);
  const levels = new Set(options.errorLevels.map((level) => level.toUpperCase()));
  const maxSilenceMs = options.maxSilenceMs ?? DEFAULT_MAX_SILENCE_MS;
  const counts: WindowCounts = new Map();
  const skipped: SkippedDocuments = { total: 0, byReason: {}, examples: [] };
  let documents = 0;
  let ignoredLevels = 0;
  let outsideRange = 0;
  // The window of the previous document: logs are mostly in time order, so this saves lookups.
  let lastWindowEnd = -Infinity;
  let lastWindowStart = 0;
  let lastWindowCounts: Map<string, number> | undefined;
  // The versions' bucket of the previous document, likewise.
  let lastBucketStart = Number.NaN;
  let lastBucketVersions: Map<string, Map<string, VersionSeen>> | undefined;
  const versions: VersionsSeen = new Map();
  const spans: FileSpan[] = [];
  const spansByNamespace = new Map<string, TimeRange[]>();

  const skip = (file: string, line: number, reason: string) => {
    skipped.total += 1;
    skipped.byReason[reason] = (skipped.byReason[reason] ?? 0) + 1;
    if (skipped.examples.length < MAX_EXAMPLES) skipped.examples.push(`${file}:${line}: ${reason}`);
  };

  for (const file of files) {
    let lineNumber = 0;
    let firstMs = Infinity;
    let lastMs = -Infinity;
    const buckets = new Map<number, { first: number; last: number }>();
    let bucketKey = Number.NaN;
    let bucket: { first: number; last: number } | undefined;
    let fileDocuments = 0;
    const fileNamespaces = new Set<string>();
    await forEachLine(file, (line) => {
      lineNumber += 1;
      if (line.length === 0 || line.trim().length === 0) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        skip(file, lineNumber, "invalid JSON");
        return;
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        skip(file, lineNumber, "not a JSON object");
        return;
      }
      let document = parsed as Record<string, unknown>;
      const source = document._source;
      if (source !== null && typeof source === "object" && !Array.isArray(source)) document = source as Record<string, unknown>;

      const level = field.level(document);
      const isError = typeof level === "string" && levels.has(level.toUpperCase());
      const rawTimestamp = field.timestamp(document);
      const timestamp = rawTimestamp === undefined || rawTimestamp === null ? null : parseTimestamp(rawTimestamp, options.grid);
      const namespace = field.namespace(document);
      const hasNamespace = typeof namespace === "string" && namespace.length > 0;
      // Every line with a time, whatever its level, proves the stream was alive then.
      if (timestamp !== null) {
        if (timestamp < firstMs) firstMs = timestamp;
        if (timestamp > lastMs) lastMs = timestamp;
        const key = Math.floor(timestamp / SILENCE_BUCKET_MS);
        if (key !== bucketKey || !bucket) {
          bucketKey = key;
          bucket = buckets.get(key);
          if (!bucket) buckets.set(key, (bucket = { first: timestamp, last: timestamp }));
        }
        if (timestamp < bucket.first) bucket.first = timestamp;
        if (timestamp > bucket.last) bucket.last = timestamp;
        if (hasNamespace) fileNamespaces.add(namespace);
      }
      if (!isError) {
        ignoredLevels += 1;
        return;
      }
      if (timestamp === null) {
        skip(file, lineNumber, `${rawTimestamp === undefined || rawTimestamp === null ? "missing" : "invalid"} timestamp (${options.fields.timestamp})`);
        return;
      }
      if (!hasNamespace) {
        skip(file, lineNumber, `missing namespace (${options.fields.namespace})`);
        return;
      }
      if (range && (timestamp < range.fromMs || timestamp >= range.toMs)) {
        outsideRange += 1;
        return;
      }
      documents += 1;
      fileDocuments += 1;
      if (timestamp < lastWindowStart || timestamp >= lastWindowEnd || !lastWindowCounts) {
        lastWindowStart = options.grid.windowStartOf(timestamp);
        lastWindowEnd = lastWindowStart + options.grid.windowMs;
        lastWindowCounts = counts.get(lastWindowStart);
        if (!lastWindowCounts) {
          lastWindowCounts = new Map();
          counts.set(lastWindowStart, lastWindowCounts);
        }
      }
      lastWindowCounts.set(namespace, (lastWindowCounts.get(namespace) ?? 0) + 1);
      const version = versionText(field.version(document));
      if (version !== null) {
        const bucketStart = timestamp - (timestamp % VERSIONS_SEEN_BUCKET_MS);
        if (bucketStart !== lastBucketStart || !lastBucketVersions) {
          lastBucketStart = bucketStart;
          lastBucketVersions = versions.get(bucketStart);
          if (!lastBucketVersions) versions.set(bucketStart, (lastBucketVersions = new Map()));
        }
        let byVersion = lastBucketVersions.get(namespace);
        if (!byVersion) lastBucketVersions.set(namespace, (byVersion = new Map()));
        const seen = byVersion.get(version);
        if (!seen) byVersion.set(version, { firstSeenMs: timestamp, lastSeenMs: timestamp });
        else if (timestamp < seen.firstSeenMs) seen.firstSeenMs = timestamp;
        else if (timestamp > seen.lastSeenMs) seen.lastSeenMs = timestamp;
      }
      if (hooks.onDocument) {
        hooks.onDocument({
          timestamp,
          namespace,
          app: optionalText(field.app(document)),
          level,
          message: messageText(field.message(document)),
          traceId: optionalText(field.traceId(document)),
          version,
        });
      }
    });
    if (firstMs <= lastMs) {
      spans.push({ file, fromMs: firstMs, toMs: lastMs, documents: fileDocuments });
      const covered = spansOfBuckets(buckets, maxSilenceMs);
      for (const namespace of fileNamespaces) {
        let list = spansByNamespace.get(namespace);
        if (!list) spansByNamespace.set(namespace, (list = []));
        list.push(...covered.map((span) => ({ ...span })));
      }
    }
    hooks.onFileDone?.(file, (await stat(file)).size);
  }
  const clip = (list: TimeRange[]) =>
    mergeSpans(list, maxSilenceMs).flatMap((span) => {
      const fromMs = range ? Math.max(span.fromMs, range.fromMs) : span.fromMs;
      const toMs = range ? Math.min(span.toMs, range.toMs) : span.toMs;
      return fromMs <= toMs ? [{ fromMs, toMs }] : [];
    });
  const coverage = { all: [], byNamespace: new Map([...spansByNamespace].map(([namespace, list]) => [namespace, clip(list)])) };
  return { counts, documents, ignoredLevels, outsideRange, skipped, coverage, versions, files: spans };
}

type WindowBuffer = { documents: LogDocument[]; total: number };

/** Keeps the earliest `limit` documents (ties in reading order); sorting is amortised over 2 × limit appends. */
function trimToEarliest(buffer: WindowBuffer, limit: number): void {
  buffer.documents.sort((left, right) => left.timestamp - right.timestamp);
  buffer.documents.length = Math.min(buffer.documents.length, limit);
}

/** What a file holds, learned when it was read in full: its span, and its size and modification time to notice a change. */
type KnownFile = { span: FileSpan | null; size: number; modifiedMs: number };

/**
 * The file source as a LogSource. Which file holds which time is decided by content, never by
 * name: a file is read in full the first time, and its span (first and last document) is kept
 * while its size and modification time stay the same, so that later reads of a range open only
 * the files whose span meets it. Document reads keep, per window, the earliest `maxPerWindow`
 * documents, as the Elasticsearch source does.
 */
export function createFileSource(
  paths: readonly string[],
  options: FileSourceOptions,
  hooks: { onFileDone?: (file: string, bytes: number) => void } = {},
): LogSource & { filesFor: (range: TimeRange | null) => Promise<string[]>; fileSpans: () => FileSpan[] } {
  let listed: Promise<string[]> | undefined;
  const files = () => (listed ??= listInputFiles(paths));
  const known = new Map<string, KnownFile>();

  /** The files that may hold documents of a range: those not read yet or changed since, and those whose span meets it. */
  const filesFor = async (range: TimeRange | null): Promise<string[]> => {
    const chosen: string[] = [];
    for (const file of await files()) {
      const entry = known.get(file);
      if (!range || !entry) {
        chosen.push(file);
        continue;
      }
      const info = await stat(file);
      if (info.size !== entry.size || info.mtimeMs !== entry.modifiedMs) chosen.push(file);
      else if (entry.span && entry.span.fromMs < range.toMs && entry.span.toMs >= range.fromMs) chosen.push(file);
    }
    return chosen;
  };

  const learn = async (read: readonly string[], spans: readonly FileSpan[]) => {
    const byFile = new Map(spans.map((span) => [span.file, span]));
    for (const file of read) {
      const info = await stat(file);
      // Spans learned from a read restricted to a range are still whole-file spans: every line is parsed.
      known.set(file, { span: byFile.get(file) ?? null, size: info.size, modifiedMs: info.mtimeMs });
    }
  };

  const count = async (range: TimeRange | null, visit?: DocumentVisitor) => {
    const chosen = await filesFor(range);
    const report = await countFiles(chosen, options, range, { ...hooks, ...(visit ? { onDocument: visit } : {}) });
    await learn(chosen, report.files);
    return report;
  };

  return {
    kind: "file",
    description: paths.join(", "),
    listInputs: files,
    filesFor,
    fileSpans: () => [...known.values()].flatMap((entry) => (entry.span ? [entry.span] : [])),
    countWindows: async (range) => count(range),
    readDocuments: async (query, onWindow) => {
      const windows = new Map<number, WindowBuffer>();
      await count(query.range, (document) => {
        if (query.namespace !== undefined && document.namespace !== query.namespace) return;
        const start = options.grid.windowStartOf(document.timestamp);
        let buffer = windows.get(start);
        if (!buffer) {
          buffer = { documents: [], total: 0 };
          windows.set(start, buffer);
        }
        buffer.total += 1;
        buffer.documents.push(document);
        if (buffer.documents.length >= 2 * query.maxPerWindow) trimToEarliest(buffer, query.maxPerWindow);
      });
      const report = { windows: 0, read: 0, total: 0 };
      for (const start of [...windows.keys()].sort((left, right) => left - right)) {
        const buffer = windows.get(start)!;
        trimToEarliest(buffer, query.maxPerWindow);
        report.windows += 1;
        report.read += buffer.documents.length;
        report.total += buffer.total;
        await onWindow({ windowStart: start, documents: buffer.documents, total: buffer.total });
      }
      return report;
    },
    close: async () => {},
  };
}
