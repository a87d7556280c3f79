import type { Client, estypes } from "@elastic/elasticsearch";
import { ConfigurationError, InvalidInputError } from "@/lib/errors";
import {
  VERSIONS_SEEN_BUCKET_MS,
  type CountReport,
  type DocumentQuery,
  type DocumentReadReport,
  type LogDocument,
  type LogSource,
  type TimeRange,
  type VersionsSeen,
  type WindowCounts,
  type WindowDocuments,
} from "@/lib/pipeline/log-document";
import { describeInstant, describeRange, type WindowGrid } from "@/lib/pipeline/time";
import { accessorsOf, messageText, optionalText, versionText, type FieldMapping } from "./field-mapping";
import { parseTimestamp } from "./file-source";
import { classifyFailure, describeFailure, isPointInTimeGone } from "./failures";
import { fieldCapsNames, resolveQueryFields, type MappingCheck, type QueryFields } from "./mapping";
import {
  documentSort,
  errorsInRange,
  extentAggregations,
  levelFilter,
  rangeFilter,
  summaryAggregations,
  versionsSeenAggregations,
  windowCountAggregations,
} from "./queries";
import { withRetries, type RetryPolicy } from "@/lib/retry";
import { instruments } from "@/lib/metrics/instruments";

export type ElasticsearchSourceOptions = {
  indexPattern: string;
  fields: FieldMapping;
  /** Levels that count as errors, compared case-insensitively. */
  errorLevels: readonly string[];
  grid: WindowGrid;
  /** Documents per search_after page. */
  pageSize: number;
  /** Buckets per composite aggregation page. */
  aggregationPageSize: number;
  /** Elasticsearch duration, e.g. "2m". */
  pointInTimeKeepAlive: string;
  retry: RetryPolicy;
  /** The server for messages, without credentials. */
  place: string;
  /** Told about every retry, e.g. to print it. */
  onRetry?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export type ElasticsearchCheck = MappingCheck & { version: string | null };

/** Times a read restarts from scratch with a new point in time after the previous one expired. */
const MAX_POINT_IN_TIME_RESTARTS = 3;

type Source = Record<string, unknown>;
/** One bucket of a composite aggregation, with its sub-aggregations by name. */
type CompositeBucket = { key: Record<string, estypes.FieldValue>; doc_count: number; [subAggregation: string]: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function aggregate(response: estypes.SearchResponse<Source>, name: string): Record<string, unknown> {
  const value = response.aggregations?.[name];
  if (!isRecord(value)) throw new ConfigurationError(`Elasticsearch answered without the "${name}" aggregation`);
  return value;
}

function shortReason(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}

/** What every read of one source shares: the client, its options and the retrying, failure-naming calls. */
type Reader = {
  client: Client;
  options: ElasticsearchSourceOptions;
  /** Where reads go, for messages. */
  placeOfIndex: string;
  /** Runs a request, retrying what classifyFailure calls transient. */
  call: <T>(what: string, operation: () => Promise<T>) => Promise<T>;
  /** The query fields of the mapping, resolved once per source (again after a failure). */
  check: () => Promise<ElasticsearchCheck>;
};

function readerOf(client: Client, options: ElasticsearchSourceOptions): Reader {
  const call = <T>(what: string, operation: () => Promise<T>): Promise<T> =>
    withRetries(operation, options.retry, {
      classify: classifyFailure,
      onRetry: (error, attempt, delayMs) => {
        instruments().elasticsearchRetries.inc();
        options.onRetry?.(`Elasticsearch: ${what} failed (${shortReason(error)}); try ${attempt + 1} of ${options.retry.attempts} in ${delayMs} ms`);
      },
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  let prepared: Promise<ElasticsearchCheck> | undefined;
  const reader: Reader = {
    client,
    options,
    placeOfIndex: `${options.place} (index pattern "${options.indexPattern}")`,
    call,
    check: () => {
      prepared ??= checkServer(client, options, call);
      prepared.catch(() => {
        prepared = undefined;
      });
      return prepared;
    },
  };
  return reader;
}

/** The server's version (8.x or 9.x) and the query fields of the index pattern's mapping. */
async function checkServer(client: Client, options: ElasticsearchSourceOptions, call: Reader["call"]): Promise<ElasticsearchCheck> {
  let version: string | null = null;
  try {
    version = (await call("reading the server version", () => client.info())).version.number;
  } catch (error) {
    // Read-only users often lack the cluster privilege GET / needs; the version is only informative.
    const status = isRecord(error) && typeof error.statusCode === "number" ? error.statusCode : 0;
    if (status !== 403) throw error;
  }
  const major = version ? Number(version.split(".")[0]) : null;
  if (major !== null && major < 8) {
    throw new ConfigurationError(`Elasticsearch ${version} is not supported: 8.x and 9.x are.`);
  }
  const capabilities = await call("reading the field mapping", () =>
    client.fieldCaps({ index: options.indexPattern, fields: fieldCapsNames(options.fields), ignore_unavailable: true, allow_no_indices: true }),
  );
  return { ...resolveQueryFields(capabilities, options.fields, options.indexPattern), version };
}

/** Runs a read, turning what retries did not cure into a user-facing error that names the read. */
async function reading<T>(reader: Reader, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw describeFailure(error, reader.placeOfIndex, what);
  }
}

/** Runs `body` inside a point in time that is closed afterwards, whatever happens; restarts with a new one when it expires. */
async function withPointInTime<T>(reader: Reader, what: string, body: (pit: { id: string }) => Promise<T>): Promise<T> {
  const { client, options } = reader;
  for (let restart = 0; ; restart += 1) {
    const opened = await reader.call(`opening a point in time to ${what}`, () =>
      client.openPointInTime({ index: options.indexPattern, keep_alive: options.pointInTimeKeepAlive }),
    );
    const pit = { id: opened.id };
    try {
      return await body(pit);
    } catch (error) {
      if (!isPointInTimeGone(error) || restart >= MAX_POINT_IN_TIME_RESTARTS) throw error;
      instruments().elasticsearchRetries.inc();
      options.onRetry?.(`Elasticsearch: the point in time expired while trying to ${what}; starting again with a new one`);
    } finally {
      await client.closePointInTime({ id: pit.id }).catch(() => {
        // Already expired or unreachable: Elasticsearch frees it after keep_alive anyway.
      });
    }
  }
}

/** One search in a point in time, which it keeps current (Elasticsearch may hand back a new id). */
async function search(reader: Reader, what: string, pit: { id: string }, request: Omit<estypes.SearchRequest, "pit" | "index">) {
  const response = await reader.call(what, () =>
    reader.client.search<Source>({ ...request, pit: { id: pit.id, keep_alive: reader.options.pointInTimeKeepAlive } }),
  );
  if (response.pit_id) pit.id = response.pit_id;
  return response;
}

/**
 * Hands over every bucket of one composite aggregation (named `name`, built by `aggregations` for
 * the page after a key), one page after the other, following `after_key` until a page is empty
 * or has none. Requests grow with buckets / page size, never with documents.
 */
async function forEachCompositeBucket(
  reader: Reader,
  pit: { id: string },
  what: string,
  query: estypes.QueryDslQueryContainer,
  name: string,
  aggregations: (after: Record<string, estypes.FieldValue> | undefined) => Record<string, estypes.AggregationsAggregationContainer>,
  onBucket: (bucket: CompositeBucket) => void,
): Promise<void> {
  let after: Record<string, estypes.FieldValue> | undefined;
  for (;;) {
    const page = await search(reader, what, pit, { size: 0, track_total_hits: false, query, aggs: aggregations(after) });
    const composite = aggregate(page, name);
    const buckets = (Array.isArray(composite.buckets) ? composite.buckets : []) as CompositeBucket[];
    for (const bucket of buckets) onBucket(bucket);
    const afterKey = isRecord(composite.after_key) ? (composite.after_key as Record<string, estypes.FieldValue>) : undefined;
    if (buckets.length === 0 || !afterKey) return;
    after = afterKey;
  }
}

/** The error documents per window and namespace. */
async function readWindowCounts(reader: Reader, pit: { id: string }, what: string, fields: QueryFields, errors: estypes.QueryDslQueryContainer) {
  const { grid, aggregationPageSize } = reader.options;
  const counts: WindowCounts = new Map();
  let documents = 0;
  await forEachCompositeBucket(
    reader,
    pit,
    what,
    errors,
    "windows",
    (after) => windowCountAggregations(fields, grid, aggregationPageSize, after),
    (bucket) => {
      const start = Number(bucket.key.window);
      const namespace = String(bucket.key.namespace);
      if (grid.windowStartOf(start) !== start) {
        throw new ConfigurationError(
          `Elasticsearch returned a window starting at ${describeInstant(start, grid)}, which is not a window of the ${grid.windowMinutes}-minute grid in ${grid.timeZone}`,
        );
      }
      let byNamespace = counts.get(start);
      if (!byNamespace) {
        byNamespace = new Map();
        counts.set(start, byNamespace);
      }
      byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + bucket.doc_count);
      documents += bucket.doc_count;
    },
  );
  return { counts, documents };
}

/** A min or max sub-aggregation's instant, whole UTC ms (a date_nanos field's is cut, as the file source cuts fractions), or null. */
function metricInstant(metric: unknown): number | null {
  return isRecord(metric) && typeof metric.value === "number" && Number.isFinite(metric.value) ? Math.floor(metric.value) : null;
}

/**
 * The versions of the error documents: per UTC day, namespace and version, the first and last
 * document, as the file source notes them while counting. A version is read as the file source
 * reads it (versionText: trimmed, cut, a number as text), so keys that read alike are merged.
 * Namespaces are taken as the window counts take them.
 */
async function readVersionsSeen(
  reader: Reader,
  pit: { id: string },
  what: string,
  fields: QueryFields,
  versionField: string,
  errors: estypes.QueryDslQueryContainer,
): Promise<VersionsSeen> {
  const versions: VersionsSeen = new Map();
  await forEachCompositeBucket(
    reader,
    pit,
    what,
    errors,
    "versions",
    (after) => versionsSeenAggregations(fields, versionField, reader.options.aggregationPageSize, after),
    (bucket) => {
      const day = Number(bucket.key.day);
      if (!Number.isFinite(day) || day % VERSIONS_SEEN_BUCKET_MS !== 0) {
        throw new ConfigurationError(`Elasticsearch returned a versions bucket starting at ${String(bucket.key.day)}, which is not the start of a UTC day`);
      }
      const version = versionText(bucket.key.version);
      if (version === null) return;
      const firstSeenMs = metricInstant(bucket.first);
      const lastSeenMs = metricInstant(bucket.last);
      // Every document of a bucket matched the range on its timestamp: a bucket without both instants is a broken answer, never "not seen".
      if (firstSeenMs === null || lastSeenMs === null) {
        throw new ConfigurationError(`Elasticsearch answered a versions bucket without its first and last document (${what})`);
      }
      const namespace = String(bucket.key.namespace);
      let byNamespace = versions.get(day);
      if (!byNamespace) versions.set(day, (byNamespace = new Map()));
      let byVersion = byNamespace.get(namespace);
      if (!byVersion) byNamespace.set(namespace, (byVersion = new Map()));
      const seen = byVersion.get(version);
      if (!seen) byVersion.set(version, { firstSeenMs, lastSeenMs });
      else {
        seen.firstSeenMs = Math.min(seen.firstSeenMs, firstSeenMs);
        seen.lastSeenMs = Math.max(seen.lastSeenMs, lastSeenMs);
      }
    },
  );
  return versions;
}

/**
 * The instants of the oldest and newest documents up to one window after the range. A document
 * shortly after the range proves the range's end was read; one far ahead (a clock ahead, stray
 * test data) proves nothing, so the look-ahead is one window.
 */
async function readExtent(reader: Reader, pit: { id: string }, what: string, fields: QueryFields, range: TimeRange) {
  const page = await search(reader, what, pit, {
    size: 0,
    track_total_hits: false,
    aggs: extentAggregations(fields, range.toMs + reader.options.grid.windowMs),
  });
  const extent = aggregate(page, "extent");
  const instantOf = (name: string): number | null => {
    const metric = extent[name];
    return isRecord(metric) && typeof metric.value === "number" && Number.isFinite(metric.value) ? metric.value : null;
  };
  return { oldest: instantOf("oldest"), newest: instantOf("newest") };
}

async function countWindows(reader: Reader, range: TimeRange | null): Promise<CountReport> {
  if (!range) throw new InvalidInputError("Reading from Elasticsearch needs a time range: give --from (and --to).");
  const { options } = reader;
  const what = `count the errors of ${describeRange(range, options.grid)}`;
  return reading(reader, what, async () => {
    const { fields } = await reader.check();
    return withPointInTime(reader, what, async (pit) => {
      const inRange = rangeFilter(fields, range);
      const summary = await search(reader, what, pit, {
        size: 0,
        track_total_hits: true,
        query: inRange,
        aggs: summaryAggregations(fields, options.errorLevels),
      });
      const all = typeof summary.hits.total === "number" ? summary.hits.total : (summary.hits.total?.value ?? 0);
      const errors = aggregate(summary, "errors");
      const errorCount = typeof errors.doc_count === "number" ? errors.doc_count : 0;
      const withoutNamespace =
        isRecord(errors.without_namespace) && typeof errors.without_namespace.doc_count === "number" ? errors.without_namespace.doc_count : 0;
      const errorDocuments = errorsInRange(fields, options.errorLevels, range);
      const { counts, documents } = await readWindowCounts(reader, pit, what, fields, errorDocuments);
      // In the counts' point in time, so that both see the same documents; a failure fails the whole count.
      const versions: VersionsSeen = fields.version === null ? new Map() : await readVersionsSeen(reader, pit, what, fields, fields.version, errorDocuments);
      const { oldest, newest } = await readExtent(reader, pit, what, fields, range);
      // The index answered: it covers every namespace from its oldest to its newest document.
      const covered = oldest !== null && newest !== null ? { fromMs: Math.max(range.fromMs, oldest), toMs: Math.min(range.toMs, newest) } : null;
      const reason = `missing namespace (${options.fields.namespace})`;
      return {
        counts,
        documents,
        ignoredLevels: all - errorCount,
        outsideRange: 0,
        skipped: { total: withoutNamespace, byReason: withoutNamespace > 0 ? { [reason]: withoutNamespace } : {}, examples: [] },
        coverage: { all: covered && covered.fromMs <= covered.toMs ? [covered] : [], byNamespace: new Map() },
        versions,
        newestMs: newest,
      };
    });
  });
}

/** A hit as a log document, or null without a usable time or namespace. */
function documentOf(hit: estypes.SearchHit<Source>, field: ReturnType<typeof accessorsOf>, grid: WindowGrid): LogDocument | null {
  const source = hit._source ?? {};
  const sorted = hit.sort?.[0];
  const timestamp = typeof sorted === "number" ? sorted : parseTimestamp(field.timestamp(source), grid);
  const namespace = field.namespace(source);
  if (timestamp === null || typeof namespace !== "string") return null;
  return {
    timestamp,
    namespace,
    app: optionalText(field.app(source)),
    level: optionalText(field.level(source)),
    message: messageText(field.message(source)),
    traceId: optionalText(field.traceId(source)),
    version: versionText(field.version(source)),
  };
}

/** One window's documents, at most `maxPerWindow`, with the true total, page by page with search_after. */
async function readWindow(
  reader: Reader,
  pit: { id: string },
  fields: QueryFields,
  query: DocumentQuery,
  window: TimeRange,
  what: string,
): Promise<WindowDocuments> {
  const { options } = reader;
  const field = accessorsOf(options.fields);
  const sourceFields = [...new Set(Object.values(options.fields))];
  const filter: estypes.QueryDslQueryContainer[] = [
    rangeFilter(fields, window),
    levelFilter(fields, options.errorLevels),
    { exists: { field: fields.namespace } },
  ];
  if (query.namespace !== undefined) filter.push({ term: { [fields.namespace]: query.namespace } });
  const documents: LogDocument[] = [];
  let total = 0;
  let searchAfter: estypes.SortResults | undefined;
  while (documents.length < query.maxPerWindow) {
    const size = Math.min(options.pageSize, query.maxPerWindow - documents.length);
    const isFirst = searchAfter === undefined;
    let page: estypes.SearchResponse<Source>;
    try {
      page = await search(reader, what, pit, {
        size,
        track_total_hits: isFirst,
        query: { bool: { filter } },
        sort: documentSort(fields),
        _source: sourceFields,
        ...(searchAfter ? { search_after: searchAfter } : {}),
      });
    } catch (error) {
      // An expired point in time goes up unchanged, to be restarted; anything else names this window.
      throw isPointInTimeGone(error) ? error : describeFailure(error, reader.placeOfIndex, what);
    }
    if (isFirst) total = typeof page.hits.total === "number" ? page.hits.total : (page.hits.total?.value ?? 0);
    for (const hit of page.hits.hits) {
      const document = documentOf(hit, field, options.grid);
      if (document) documents.push(document);
    }
    const last = page.hits.hits.at(-1);
    if (page.hits.hits.length < size || !last?.sort) break;
    searchAfter = last.sort;
  }
  return { windowStart: window.fromMs, documents, total: Math.max(total, documents.length) };
}

/** Elasticsearch's default index.max_inner_result_window: the most documents a top_hits aggregation returns per window. */
const MAX_SAMPLE_PER_WINDOW = 100;
/** Documents one sampling request may return in all, so that an answer stays a few MiB. */
const MAX_SAMPLED_PER_REQUEST = 5_000;

/**
 * The first `maxPerWindow` documents (by time) and the total of each window of one namespace, for
 * many windows in one search: a filters aggregation with a bucket per window, each sampled by
 * top_hits. A usual period of 96 windows is one request instead of 96. Windows are handed over
 * in time order, those without documents left out, as readWindow's are.
 */
async function readWindowSamples(
  reader: Reader,
  pit: { id: string },
  fields: QueryFields,
  query: DocumentQuery & { namespace: string },
  windows: readonly TimeRange[],
  what: string,
): Promise<WindowDocuments[]> {
  const { options } = reader;
  const field = accessorsOf(options.fields);
  const filters = Object.fromEntries(windows.map((window) => [String(window.fromMs), rangeFilter(fields, window)]));
  let response: estypes.SearchResponse<Source>;
  try {
    response = await search(reader, what, pit, {
      size: 0,
      track_total_hits: false,
      query: {
        bool: {
          filter: [
            rangeFilter(fields, { fromMs: windows[0]!.fromMs, toMs: windows.at(-1)!.toMs }),
            levelFilter(fields, options.errorLevels),
            { term: { [fields.namespace]: query.namespace } },
          ],
        },
      },
      aggs: {
        windows: {
          filters: { filters },
          aggs: {
            sample: {
              top_hits: { size: query.maxPerWindow, sort: [{ [fields.timestamp]: { order: "asc" } }], _source: [...new Set(Object.values(options.fields))] },
            },
          },
        },
      },
    });
  } catch (error) {
    throw isPointInTimeGone(error) ? error : describeFailure(error, reader.placeOfIndex, what);
  }
  const buckets = aggregate(response, "windows").buckets;
  if (!isRecord(buckets)) throw new ConfigurationError(`Elasticsearch answered the "windows" aggregation without keyed buckets`);
  const read: WindowDocuments[] = [];
  for (const window of windows) {
    const bucket = buckets[String(window.fromMs)];
    // A window the answer leaves out was not read: never taken as a window without errors.
    if (!isRecord(bucket) || typeof bucket.doc_count !== "number") {
      throw new ConfigurationError(`Elasticsearch answered without the count of the window ${describeRange(window, options.grid)} (${what})`);
    }
    const total = bucket.doc_count;
    if (total === 0) continue;
    const sample = isRecord(bucket.sample) && isRecord(bucket.sample.hits) ? bucket.sample.hits.hits : undefined;
    const documents: LogDocument[] = [];
    for (const hit of Array.isArray(sample) ? (sample as estypes.SearchHit<Source>[]) : []) {
      const document = documentOf(hit, field, options.grid);
      if (document) documents.push(document);
    }
    read.push({ windowStart: window.fromMs, documents, total: Math.max(total, documents.length) });
  }
  return read;
}

async function readDocuments(reader: Reader, query: DocumentQuery, onWindow: (window: WindowDocuments) => void | Promise<void>): Promise<DocumentReadReport> {
  const { grid } = reader.options;
  const report: DocumentReadReport = { windows: 0, read: 0, total: 0 };
  const starts = grid.windowsBetween(grid.windowStartOf(query.range.fromMs), query.range.toMs);
  const inNamespace = query.namespace !== undefined ? ` in ${query.namespace}` : "";
  const whatAll = `read the documents of ${describeRange(query.range, grid)}${inNamespace}`;
  await reading(reader, whatAll, async () => {
    const { fields } = await reader.check();
    let next = 0;
    // A window's documents are handed over only once complete, so a restart after an expired
    // point in time re-reads that window alone and never hands over a document twice.
    await withPointInTime(reader, whatAll, async (pit) => {
      // A sample of many windows of one namespace (a usual period): many windows per request.
      const namespace = query.namespace;
      if (namespace !== undefined && query.maxPerWindow <= MAX_SAMPLE_PER_WINDOW && starts.length > 1) {
        const perRequest = Math.max(1, Math.floor(MAX_SAMPLED_PER_REQUEST / query.maxPerWindow));
        while (next < starts.length) {
          const windows = starts
            .slice(next, next + perRequest)
            .map((start) => ({ fromMs: Math.max(start, query.range.fromMs), toMs: Math.min(start + grid.windowMs, query.range.toMs) }));
          const range = { fromMs: windows[0]!.fromMs, toMs: windows.at(-1)!.toMs };
          const read = await readWindowSamples(
            reader,
            pit,
            fields,
            { ...query, namespace },
            windows,
            `read the documents of ${describeRange(range, grid)}${inNamespace}`,
          );
          for (const documents of read) {
            report.windows += 1;
            report.read += documents.documents.length;
            report.total += documents.total;
            await onWindow({ ...documents, windowStart: grid.windowStartOf(documents.windowStart) });
          }
          next += windows.length;
        }
        return;
      }
      for (; next < starts.length; next += 1) {
        const start = starts[next]!;
        const window = { fromMs: Math.max(start, query.range.fromMs), toMs: Math.min(start + grid.windowMs, query.range.toMs) };
        const documents = await readWindow(reader, pit, fields, query, window, `read the documents of ${describeRange(window, grid)}${inNamespace}`);
        if (documents.total === 0) continue;
        report.windows += 1;
        report.read += documents.documents.length;
        report.total += documents.total;
        await onWindow({ ...documents, windowStart: start });
      }
    });
  });
  return report;
}

/**
 * The production LogSource: Elasticsearch 8.x or 9.x. Counting is one composite aggregation
 * (window × namespace) and the versions seen another (UTC day × namespace × version), so its
 * cost grows with windows × namespaces and days × versions, never with errors.
 * Documents are read per window with a point in time and search_after, at most `maxPerWindow`
 * per window, with the true total. Every read runs in a point in time that is always closed,
 * transient failures are retried, and a range that cannot be read rejects with its range named.
 */
export function createElasticsearchSource(client: Client, options: ElasticsearchSourceOptions): LogSource & { check: () => Promise<ElasticsearchCheck> } {
  const reader = readerOf(client, options);
  return {
    kind: "elasticsearch",
    description: `Elasticsearch ${options.place}, index pattern "${options.indexPattern}"`,
    check: reader.check,
    listInputs: async () => [`${options.place}/${options.indexPattern}`],
    countWindows: (range) => countWindows(reader, range),
    readDocuments: (query, onWindow) => readDocuments(reader, query, onWindow),
    close: () => client.close(),
  };
}
