/** One error document after field mapping. Times are UTC epoch milliseconds. */
export type LogDocument = {
  timestamp: number;
  namespace: string;
  app: string | null;
  level: string | null;
  message: string;
  traceId: string | null;
  /** The application's version (release) that logged it (source.fields.version); null without one. */
  version: string | null;
};

/** A half-open range of UTC epoch milliseconds, [fromMs, toMs). */
export type TimeRange = { fromMs: number; toMs: number };

/**
 * What a source proved it read. A span `{ fromMs, toMs }` says the source was reading at every
 * instant from fromMs to toMs (UTC ms, both seen: a document at each end, or the server's
 * answer). A window `[start, start + length)` is covered when one span holds all of it; only a
 * covered window may be stored as a count, and a covered window without errors is a measured
 * zero. Anything else is a gap.
 */
export type Coverage = {
  /** Spans that hold for every namespace (an index that answered for the whole range). */
  all: readonly TimeRange[];
  /** Spans that hold for one namespace only (a file covers the namespaces it has documents of). */
  byNamespace: ReadonlyMap<string, readonly TimeRange[]>;
};

/** Error counts of one range: window start (UTC ms) → namespace → count. */
export type WindowCounts = Map<number, Map<string, number>>;

/** When one version was seen in one bucket of one namespace: its first and last error document (UTC ms). */
export type VersionSeen = { firstSeenMs: number; lastSeenMs: number };

/**
 * The buckets VersionsSeen groups by: UTC days. Coarse, to keep memory at days × namespaces ×
 * versions for a year read at once; the times within are exact.
 */
export const VERSIONS_SEEN_BUCKET_MS = 86_400_000;

/** The versions of the error documents counted: bucket start (UTC ms, VERSIONS_SEEN_BUCKET_MS) → namespace → version → when seen. */
export type VersionsSeen = Map<number, Map<string, Map<string, VersionSeen>>>;

/** Which documents to read for investigation. */
export type DocumentQuery = {
  range: TimeRange;
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  /** At most this many documents of each window are read (the earliest ones); totals stay exact. */
  maxPerWindow: number;
};

/** The documents read from one window, in time order. */
export type WindowDocuments = {
  windowStart: number;
  documents: LogDocument[];
  /** Error documents the window holds (matching the query), read or not. */
  total: number;
};

/** What a document read returned: documents read and the true number of matching documents. */
export type DocumentReadReport = { windows: number; read: number; total: number };

/**
 * A source of error logs: counts per window and namespace, and documents for investigation.
 * The Elasticsearch source and the file source implement it, and nothing downstream can tell
 * them apart. A range that cannot be read rejects: a source never reports it as zero errors.
 */
export type LogSource = {
  /** "elasticsearch" or "file". */
  readonly kind: string;
  /** Where the documents come from, for reports (no secrets). */
  readonly description: string;
  /** What is read: the files of a file source, the description of a server. */
  listInputs: () => Promise<string[]>;
  /** Counts the error documents in the range (or everything the source holds, where it can) per window and namespace. */
  countWindows: (range: TimeRange | null) => Promise<CountReport>;
  /** Reads error documents window by window, in window order, each window's documents in time order. */
  readDocuments: (query: DocumentQuery, onWindow: (window: WindowDocuments) => void | Promise<void>) => Promise<DocumentReadReport>;
  /** Releases connections; the source is unusable afterwards. */
  close: () => Promise<void>;
};

/** Documents that could not be used, per reason, with the first few places they occur. */
export type SkippedDocuments = {
  total: number;
  byReason: Record<string, number>;
  /** "file:line: reason", at most a few dozen. */
  examples: string[];
};

export type CountReport = {
  counts: WindowCounts;
  /** Error documents counted. */
  documents: number;
  /** Documents read but not at an error level. */
  ignoredLevels: number;
  /** Documents with a timestamp outside the range. */
  outsideRange: number;
  skipped: SkippedDocuments;
  /** What the source proved it read (see Coverage); only covered windows may be stored. */
  coverage: Coverage;
  /**
   * The versions of the error documents counted (the file source notes them per document, the
   * Elasticsearch source aggregates them): what dates each namespace's releases. Absent when a
   * source cannot tell.
   */
  versions?: VersionsSeen;
  /** The newest document of any level the source holds up to the range's end (its high-water mark), when it can tell. */
  newestMs?: number | null;
};
