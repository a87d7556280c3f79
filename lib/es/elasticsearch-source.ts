import type { Client, estypes } from "@elastic/elasticsearch";
import { ConfigurationError, InvalidInputError } from "@/lib/errors";
import type {
  CountReport,
  DocumentQuery,
  DocumentReadReport,
  LogDocument,
  LogSource,
  TimeRange,
  WindowCounts,
  WindowDocuments,
} from "@/lib/pipeline/log-document";
import { describeRange, type WindowGrid } from "@/lib/pipeline/time";
import { accessorsOf, messageText, optionalText, type FieldMapping } from "./field-mapping";
import { parseTimestamp } from "./file-source";
import { classifyFailure, describeFailure, isPointInTimeGone } from "./failures";
import { fieldCapsNames, resolveQueryFields, type MappingCheck, type QueryFields } from "./mapping";
import { documentSort, extentAggregations, levelFilter, rangeFilter, summaryAggregations, windowCountAggregations } from "./queries";
import { withRetries, type RetryPolicy } from "@/lib/retry";

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
type CompositeBucket = { key: Record<string, estypes.FieldValue>; doc_count: number };

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

/**
 * The production LogSource: Elasticsearch 8.x or 9.x. Counting is one composite aggregation
 * (window × namespace), so its cost grows with windows × namespaces, never with errors.
 * Documents are read per window with a point in time and search_after, at most `maxPerWindow`
 * per window, with the true total. Every read runs in a point in time that is always closed,
 * transient failures are retried, and a range that cannot be read rejects with its range named.
 */
export function createElasticsearchSource(client: Client, options: ElasticsearchSourceOptions): LogSource & { check: () => Promise<ElasticsearchCheck> } {
  const { grid } = options;
  const field = accessorsOf(options.fields);
  const sourceFields = [...new Set(Object.values(options.fields))];
  const placeOfIndex = `${options.place} (index pattern "${options.indexPattern}")`;
  let prepared: Promise<ElasticsearchCheck> | undefined;

  const call = <T>(what: string, operation: () => Promise<T>): Promise<T> =>
    withRetries(operation, options.retry, {
      classify: classifyFailure,
      onRetry: (error, attempt, delayMs) =>
        options.onRetry?.(`Elasticsearch: ${what} failed (${shortReason(error)}); try ${attempt + 1} of ${options.retry.attempts} in ${delayMs} ms`),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });

  /** Runs a read, turning what retries did not cure into a user-facing error that names the read. */
  const reading = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      throw describeFailure(error, placeOfIndex, what);
    }
  };

  const check = (): Promise<ElasticsearchCheck> => {
    prepared ??= (async () => {
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
    })();
    prepared.catch(() => {
      prepared = undefined;
    });
    return prepared;
  };

  /** Runs `body` inside a point in time that is closed afterwards, whatever happens; restarts with a new one when it expires. */
  const withPointInTime = async <T>(what: string, body: (pit: { id: string }) => Promise<T>): Promise<T> => {
    for (let restart = 0; ; restart += 1) {
      const opened = await call(`opening a point in time to ${what}`, () =>
        client.openPointInTime({ index: options.indexPattern, keep_alive: options.pointInTimeKeepAlive }),
      );
      const pit = { id: opened.id };
      try {
        return await body(pit);
      } catch (error) {
        if (!isPointInTimeGone(error) || restart >= MAX_POINT_IN_TIME_RESTARTS) throw error;
        options.onRetry?.(`Elasticsearch: the point in time expired while trying to ${what}; starting again with a new one`);
      } finally {
        await client.closePointInTime({ id: pit.id }).catch(() => {
          // Already expired or unreachable: Elasticsearch frees it after keep_alive anyway.
        });
      }
    }
  };

  const search = async (what: string, pit: { id: string }, request: Omit<estypes.SearchRequest, "pit" | "index">) => {
    const response = await call(what, () => client.search<Source>({ ...request, pit: { id: pit.id, keep_alive: options.pointInTimeKeepAlive } }));
    if (response.pit_id) pit.id = response.pit_id;
    return response;
  };

  const countWindows = async (range: TimeRange | null): Promise<CountReport> => {
    if (!range) throw new InvalidInputError("Reading from Elasticsearch needs a time range: give --from (and --to).");
    const what = `count the errors of ${describeRange(range, grid)}`;
    return reading(what, async () => {
      const { fields } = await check();
      return withPointInTime(what, async (pit) => {
        const inRange = rangeFilter(fields, range);
        const summary = await search(what, pit, {
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

        const counts: WindowCounts = new Map();
        let documents = 0;
        let after: Record<string, estypes.FieldValue> | undefined;
        const query = { bool: { filter: [inRange, levelFilter(fields, options.errorLevels)] } };
        for (;;) {
          const page = await search(what, pit, {
            size: 0,
            track_total_hits: false,
            query,
            aggs: windowCountAggregations(fields, grid, options.aggregationPageSize, after),
          });
          const composite = aggregate(page, "windows");
          const buckets = (Array.isArray(composite.buckets) ? composite.buckets : []) as CompositeBucket[];
          for (const bucket of buckets) {
            const start = Number(bucket.key.window);
            const namespace = String(bucket.key.namespace);
            if (grid.windowStartOf(start) !== start) {
              throw new ConfigurationError(
                `Elasticsearch returned a window starting at ${new Date(start).toISOString()}, which is not a window of the ${grid.windowMinutes}-minute grid in ${grid.timeZone}`,
              );
            }
            let byNamespace = counts.get(start);
            if (!byNamespace) {
              byNamespace = new Map();
              counts.set(start, byNamespace);
            }
            byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + bucket.doc_count);
            documents += bucket.doc_count;
          }
          const afterKey = isRecord(composite.after_key) ? (composite.after_key as Record<string, estypes.FieldValue>) : undefined;
          if (buckets.length === 0 || !afterKey) break;
          after = afterKey;
        }
        // A document shortly after the range proves the range's end was read; one far ahead (a
        // clock ahead, stray test data) proves nothing, so the look-ahead is one window.
        const extentPage = await search(what, pit, { size: 0, track_total_hits: false, aggs: extentAggregations(fields, range.toMs + grid.windowMs) });
        const extent = aggregate(extentPage, "extent");
        const instantOf = (name: string): number | null => {
          const metric = extent[name];
          return isRecord(metric) && typeof metric.value === "number" && Number.isFinite(metric.value) ? metric.value : null;
        };
        const oldest = instantOf("oldest");
        const newest = instantOf("newest");
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
          newestMs: newest,
        };
      });
    });
  };

  const toDocument = (hit: estypes.SearchHit<Source>): LogDocument | null => {
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
    };
  };

  const readWindow = async (pit: { id: string }, fields: QueryFields, query: DocumentQuery, window: TimeRange, what: string): Promise<WindowDocuments> => {
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
        page = await search(what, pit, {
          size,
          track_total_hits: isFirst,
          query: { bool: { filter } },
          sort: documentSort(fields),
          _source: sourceFields,
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
      } catch (error) {
        // An expired point in time goes up unchanged, to be restarted; anything else names this window.
        throw isPointInTimeGone(error) ? error : describeFailure(error, placeOfIndex, what);
      }
      if (isFirst) total = typeof page.hits.total === "number" ? page.hits.total : (page.hits.total?.value ?? 0);
      for (const hit of page.hits.hits) {
        const document = toDocument(hit);
        if (document) documents.push(document);
      }
      const last = page.hits.hits.at(-1);
      if (page.hits.hits.length < size || !last?.sort) break;
      searchAfter = last.sort;
    }
    return { windowStart: window.fromMs, documents, total: Math.max(total, documents.length) };
  };

  const readDocuments = async (query: DocumentQuery, onWindow: (window: WindowDocuments) => void | Promise<void>): Promise<DocumentReadReport> => {
    const report: DocumentReadReport = { windows: 0, read: 0, total: 0 };
    const starts = grid.windowsBetween(grid.windowStartOf(query.range.fromMs), query.range.toMs);
    const whatAll = `read the documents of ${describeRange(query.range, grid)}${query.namespace !== undefined ? ` in ${query.namespace}` : ""}`;
    await reading(whatAll, async () => {
      const { fields } = await check();
      let next = 0;
      // A window's documents are handed over only once complete, so a restart after an expired
      // point in time re-reads that window alone and never hands over a document twice.
      await withPointInTime(whatAll, async (pit) => {
        for (; next < starts.length; next += 1) {
          const start = starts[next]!;
          const window = { fromMs: Math.max(start, query.range.fromMs), toMs: Math.min(start + grid.windowMs, query.range.toMs) };
          const what = `read the documents of ${describeRange(window, grid)}${query.namespace !== undefined ? ` in ${query.namespace}` : ""}`;
          const documents = await readWindow(pit, fields, query, window, what);
          if (documents.total === 0) continue;
          report.windows += 1;
          report.read += documents.documents.length;
          report.total += documents.total;
          await onWindow({ ...documents, windowStart: start });
        }
      });
    });
    return report;
  };

  return {
    kind: "elasticsearch",
    description: `Elasticsearch ${options.place}, index pattern "${options.indexPattern}"`,
    check,
    listInputs: async () => [`${options.place}/${options.indexPattern}`],
    countWindows,
    readDocuments,
    close: () => client.close(),
  };
}
