/** One error document after field mapping. Times are UTC epoch milliseconds. */
export type LogDocument = {
  timestamp: number;
  namespace: string;
  app: string | null;
  level: string | null;
  message: string;
  traceId: string | null;
};

/** Error counts of one range: window start (UTC ms) → namespace → count. */
export type WindowCounts = Map<number, Map<string, number>>;

/** A source of error logs: counts per window and namespace, and documents for investigation. */
export type LogSource = {
  /** Counts the error documents in `[fromMs, toMs)` per window and namespace. */
  countWindows: (range: { fromMs: number; toMs: number }) => Promise<CountReport>;
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
};
