import { Client, errors } from "@elastic/elasticsearch";
import Mock, { type MockPattern } from "@elastic/elasticsearch-mock";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ConfigurationError, InvalidInputError, UnavailableError } from "@/lib/errors";
import type { CountReport } from "@/lib/pipeline/log-document";
import { createWindowGrid } from "@/lib/pipeline/time";
import { createElasticsearchSource, type ElasticsearchSourceOptions } from "./elasticsearch-source";
import type { FieldMapping } from "./field-mapping";

const grid = createWindowGrid("Europe/Prague", 15);
// The default mapping of values.yaml (ECS-style names).
const fields: FieldMapping = loadConfig(path.resolve("values.yaml")).source.fields;
const WINDOW = 15 * 60_000;
const T0 = Date.parse("2026-01-15T09:00:00Z");
const range = { fromMs: T0, toMs: T0 + 4 * WINDOW };
const DAY = 86_400_000;
/** The newest document the index holds up to the range's end. */
const NEWEST = T0 + 3 * WINDOW + 42_000;

type Recorded = { method: string; path: string; querystring: Record<string, string>; body: Record<string, unknown> };
type Resolver = (request: Recorded) => Record<string, unknown> | Error;

let mock: Mock;
let requests: Recorded[];
let sleeps: number[];

const keyword = { keyword: { type: "keyword", metadata_field: false, searchable: true, aggregatable: true } };
const text = { text: { type: "text", metadata_field: false, searchable: true, aggregatable: false } };
const date = { date: { type: "date", metadata_field: false, searchable: true, aggregatable: true } };
const defaultCaps = {
  indices: ["logs-2026.01.15"],
  fields: {
    "@timestamp": date,
    "kubernetes.namespace": keyword,
    "kubernetes.labels.app": keyword,
    level: keyword,
    message: text,
    "trace.id": keyword,
    "service.version": keyword,
  },
};

function responseError(statusCode: number, type: string, reason: string, headers: Record<string, string> = {}): errors.ResponseError {
  return new errors.ResponseError({
    body: { error: { root_cause: [{ type, reason }], type, reason }, status: statusCode },
    statusCode,
    headers,
    warnings: null,
    meta: {} as never,
  });
}

/** Routes a method and path to a resolver, recording every request. */
function route(method: string | string[], path: string | string[], resolve: Resolver): void {
  mock.add({ method, path }, (params: MockPattern) => {
    const request: Recorded = {
      method: String(params.method),
      path: String(params.path),
      querystring: params.querystring ?? {},
      body: (params.body as Record<string, unknown> | undefined) ?? {},
    };
    requests.push(request);
    return resolve(request);
  });
}

function searchResponse(extra: Record<string, unknown>): Record<string, unknown> {
  return { took: 1, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { max_score: null, hits: [] }, ...extra };
}

function makeSource(overrides: Partial<ElasticsearchSourceOptions> = {}) {
  const client = new Client({ node: "http://es.test:9200", Connection: mock.getConnection(), maxRetries: 0 });
  return createElasticsearchSource(client, {
    indexPattern: "logs-*",
    fields,
    errorLevels: ["ERROR", "Fatal"],
    grid,
    pageSize: 2,
    aggregationPageSize: 2,
    pointInTimeKeepAlive: "2m",
    retry: { attempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000 },
    place: "http://es.test:9200",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

let pitCounter: number;
let openPits: Set<string>;

function standardRoutes(): void {
  route("GET", "/", () => ({ name: "node", cluster_name: "c", version: { number: "8.15.3" }, tagline: "You Know, for Search" }));
  route(["GET", "POST"], "/:index/_field_caps", () => defaultCaps);
  route("POST", "/:index/_pit", () => {
    pitCounter += 1;
    const id = `pit-${pitCounter}`;
    openPits.add(id);
    return { id };
  });
  route("DELETE", "/_pit", (request) => {
    const id = String(request.body.id);
    const existed = openPits.delete(id);
    return existed ? { succeeded: true, num_freed: 1 } : responseError(404, "search_context_missing_exception", `No search context found for id [${id}]`);
  });
}

beforeEach(() => {
  mock = new Mock();
  requests = [];
  sleeps = [];
  pitCounter = 0;
  openPits = new Set();
});

const searches = () => requests.filter((request) => request.path === "/_search");
/** What a count says when every search answers 502. */
const UPSTREAM_DOWN_MESSAGE =
  'Could not count the errors of 2026-01-15 10:00–11:00 Europe/Prague: Elasticsearch at http://es.test:9200 (index pattern "logs-*") answered 502 (bad_gateway: upstream down).';

type VersionBucket = { key: { day: number; namespace: string; version: string | number }; doc_count: number; first: unknown; last: unknown };

/** A (UTC day, namespace, version) bucket with its first and last document, as Elasticsearch renders a date's min and max. */
function versionBucket(day: number, namespace: string, version: string | number, firstMs: number, lastMs: number, count = 1): VersionBucket {
  const metric = (ms: number) => ({ value: ms, value_as_string: new Date(ms).toISOString() });
  return { key: { day, namespace, version }, doc_count: count, first: metric(firstMs), last: metric(lastMs) };
}

/** The UTC day of T0: the range lies in it. */
const DAY0 = T0 - (T0 % DAY);

/** The versions the counting routes answer by default: one page of two buckets, then an empty page. */
const VERSION_PAGES: VersionBucket[][] = [
  [versionBucket(DAY0, "orders", "1.4.0", T0 + 1000, T0 + WINDOW + 5000, 3), versionBucket(DAY0, "payments", "2.0.1", T0 + 2000, T0 + 2000)],
  [],
];

/** A composite aggregation's page as Elasticsearch answers it: after_key is the last bucket's key. */
function compositePage(name: string, buckets: readonly { key: Record<string, unknown> }[]) {
  const last = buckets.at(-1);
  return searchResponse({ pit_id: "pit-1", aggregations: { [name]: { ...(last ? { after_key: last.key } : {}), buckets } } });
}

/** Two pages of window buckets, then an empty page; the versions' pages (`versionPages`, consumed) likewise. */
function countingRoutes(versionPages: VersionBucket[][] = VERSION_PAGES.map((page) => [...page])): void {
  const pages = [
    [
      { key: { window: T0, namespace: "orders" }, doc_count: 5 },
      { key: { window: T0, namespace: "payments" }, doc_count: 7 },
    ],
    [{ key: { window: T0 + WINDOW, namespace: "orders" }, doc_count: 120 }],
    [],
  ];
  route("POST", "/_search", (request) => {
    const aggs = request.body.aggs as Record<string, unknown>;
    if ("errors" in aggs)
      return searchResponse({
        pit_id: "pit-1",
        hits: { total: { value: 150, relation: "eq" }, max_score: null, hits: [] },
        aggregations: { errors: { doc_count: 134, without_namespace: { doc_count: 2 } } },
      });
    if ("extent" in aggs)
      return searchResponse({ pit_id: "pit-1", aggregations: { extent: { doc_count: 9000, oldest: { value: T0 - DAY }, newest: { value: NEWEST } } } });
    if ("versions" in aggs) return compositePage("versions", versionPages.shift() ?? []);
    return compositePage("windows", pages.shift() ?? []);
  });
}

/** The searches of one composite aggregation, by its name. */
const searchesOf = (name: string) => searches().filter((request) => name in (request.body.aggs as object));

describe("Elasticsearch source: counting", () => {
  it("counts by one composite aggregation paged with after_key, inside a point in time that it closes", async () => {
    standardRoutes();
    countingRoutes();
    const report = await makeSource().countWindows(range);

    expect([...report.counts].map(([start, byNamespace]) => [start, Object.fromEntries(byNamespace)])).toEqual([
      [T0, { orders: 5, payments: 7 }],
      [T0 + WINDOW, { orders: 120 }],
    ]);
    expect(report.documents).toBe(132);
    expect(report.ignoredLevels).toBe(16);
    expect(report.skipped).toEqual({ total: 2, byReason: { "missing namespace (kubernetes.namespace)": 2 }, examples: [] });

    const fieldCaps = requests.find((request) => request.path.endsWith("/_field_caps"))!;
    expect(fieldCaps.path).toBe("/logs-*/_field_caps");
    expect(fieldCaps.querystring).toMatchObject({ ignore_unavailable: "true", allow_no_indices: "true" });
    const pit = requests.find((request) => request.path.endsWith("/_pit") && request.method === "POST")!;
    expect(pit.path).toBe("/logs-*/_pit");
    expect(pit.querystring).toMatchObject({ keep_alive: "2m" });

    const [summary] = searches();
    const pages = searchesOf("windows");
    const inRange = { range: { "@timestamp": { gte: range.fromMs, lt: range.toMs, format: "epoch_millis" } } };
    const levels = {
      bool: {
        should: [{ term: { level: { value: "ERROR", case_insensitive: true } } }, { term: { level: { value: "Fatal", case_insensitive: true } } }],
        minimum_should_match: 1,
      },
    };
    expect(summary!.body).toEqual({
      size: 0,
      track_total_hits: true,
      query: inRange,
      aggs: { errors: { filter: levels, aggs: { without_namespace: { missing: { field: "kubernetes.namespace" } } } } },
      pit: { id: "pit-1", keep_alive: "2m" },
    });
    const extent = searches().at(-1)!;
    expect(extent.body).toMatchObject({
      size: 0,
      aggs: {
        extent: {
          filter: { range: { "@timestamp": { lte: range.toMs + WINDOW, format: "epoch_millis" } } },
          aggs: { oldest: { min: { field: "@timestamp" } }, newest: { max: { field: "@timestamp" } } },
        },
      },
    });
    // The index answered: it covers every namespace from the range's start to its newest document.
    expect(report.coverage).toEqual({ all: [{ fromMs: range.fromMs, toMs: NEWEST }], byNamespace: new Map() });
    expect(report.newestMs).toBe(NEWEST);
    expect(pages).toHaveLength(3);
    const composite = (body: Record<string, unknown>) => (body.aggs as { windows: { composite: Record<string, unknown> } }).windows.composite;
    expect(pages[0]!.body).toMatchObject({ size: 0, track_total_hits: false, query: { bool: { filter: [inRange, levels] } } });
    expect(composite(pages[0]!.body)).toEqual({
      size: 2,
      sources: [
        { window: { date_histogram: { field: "@timestamp", fixed_interval: "15m", time_zone: "Europe/Prague" } } },
        { namespace: { terms: { field: "kubernetes.namespace" } } },
      ],
    });
    expect(composite(pages[1]!.body).after).toEqual({ window: T0, namespace: "payments" });
    expect(composite(pages[2]!.body).after).toEqual({ window: T0 + WINDOW, namespace: "orders" });
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", path: "/_pit", body: { id: "pit-1" } });
    expect(openPits.size).toBe(0);
  });

  it("checks the mapping once per source", async () => {
    standardRoutes();
    countingRoutes();
    const source = makeSource();
    await source.countWindows(range);
    await source.countWindows(range);
    expect(requests.filter((request) => request.path.endsWith("/_field_caps"))).toHaveLength(1);
  });

  it("uses the keyword sub-field of a text namespace or level", async () => {
    standardRoutes();
    mock.clear({ method: ["GET", "POST"], path: "/:index/_field_caps" });
    route(["GET", "POST"], "/:index/_field_caps", () => ({
      indices: ["logs-1"],
      fields: { ...defaultCaps.fields, "kubernetes.namespace": text, "kubernetes.namespace.keyword": keyword, level: text, "level.keyword": keyword },
    }));
    countingRoutes();
    await makeSource().countWindows(range);
    const body = JSON.stringify(searches().map((request) => request.body));
    expect(body).toContain('"field":"kubernetes.namespace.keyword"');
    expect(body).toContain('"level.keyword"');
    expect(body).not.toContain('{"field":"kubernetes.namespace"}');
  });

  it("needs a range", async () => {
    await expect(makeSource().countWindows(null)).rejects.toThrow(InvalidInputError);
  });

  it("refuses a window key that is not on the grid", async () => {
    standardRoutes();
    route("POST", "/_search", (request) =>
      "errors" in (request.body.aggs as object)
        ? searchResponse({
            hits: { total: { value: 1, relation: "eq" }, hits: [] },
            aggregations: { errors: { doc_count: 1, without_namespace: { doc_count: 0 } } },
          })
        : searchResponse({
            aggregations: {
              windows: { after_key: { window: T0 + 60_000, namespace: "a" }, buckets: [{ key: { window: T0 + 60_000, namespace: "a" }, doc_count: 1 }] },
            },
          }),
    );
    await expect(makeSource().countWindows(range)).rejects.toThrow(/not a window of the 15-minute grid/);
    expect(openPits.size).toBe(0);
  });
});

describe("Elasticsearch source: versions seen", () => {
  const inRange = { range: { "@timestamp": { gte: range.fromMs, lt: range.toMs, format: "epoch_millis" } } };
  const levels = {
    bool: {
      should: [{ term: { level: { value: "ERROR", case_insensitive: true } } }, { term: { level: { value: "Fatal", case_insensitive: true } } }],
      minimum_should_match: 1,
    },
  };
  const plain = (versions: CountReport["versions"]) =>
    [...(versions ?? [])].map(([day, byNamespace]) => [
      day,
      Object.fromEntries([...byNamespace].map(([namespace, byVersion]) => [namespace, Object.fromEntries(byVersion)])),
    ]);

  function withCaps(caps: Record<string, unknown>) {
    mock.clear({ method: ["GET", "POST"], path: "/:index/_field_caps" });
    route(["GET", "POST"], "/:index/_field_caps", () => ({ indices: ["logs-1"], fields: { ...defaultCaps.fields, ...caps } }));
  }

  it("dates the versions by a composite aggregation of UTC day × namespace × version over the counted errors, paged by after_key", async () => {
    standardRoutes();
    countingRoutes([
      [versionBucket(DAY0, "orders", "1.4.0", T0 + 1000, T0 + 5000, 2), versionBucket(DAY0, "orders", " 1.4.0", T0 + 500, T0 + 4000)],
      [versionBucket(DAY0, "payments", 2, T0 + 7000, T0 + WINDOW + 1.75), versionBucket(DAY0, "payments", " ", T0, T0 + 1000)],
      [versionBucket(DAY0 + DAY, "orders", "1.5.0", DAY0 + DAY + 60_000, DAY0 + DAY + 120_000)],
      [],
    ]);
    const report = await makeSource().countWindows(range);

    // As the file source reads a version: trimmed (keys that read alike merge), a number as text, a blank one is none.
    expect(plain(report.versions)).toEqual([
      [
        DAY0,
        { orders: { "1.4.0": { firstSeenMs: T0 + 500, lastSeenMs: T0 + 5000 } }, payments: { "2": { firstSeenMs: T0 + 7000, lastSeenMs: T0 + WINDOW + 1 } } },
      ],
      [DAY0 + DAY, { orders: { "1.5.0": { firstSeenMs: DAY0 + DAY + 60_000, lastSeenMs: DAY0 + DAY + 120_000 } } }],
    ]);
    const pages = searchesOf("versions");
    expect(pages).toHaveLength(4);
    expect(pages[0]!.body).toEqual({
      size: 0,
      track_total_hits: false,
      query: { bool: { filter: [inRange, levels] } },
      aggs: {
        versions: {
          composite: {
            size: 2,
            sources: [
              { day: { date_histogram: { field: "@timestamp", fixed_interval: "1440m", time_zone: "UTC" } } },
              { namespace: { terms: { field: "kubernetes.namespace" } } },
              { version: { terms: { field: "service.version" } } },
            ],
          },
          aggs: { first: { min: { field: "@timestamp" } }, last: { max: { field: "@timestamp" } } },
        },
      },
      pit: { id: "pit-1", keep_alive: "2m" },
    });
    // The same documents as the window counts, in the same point in time.
    expect(pages[0]!.body.query).toEqual(searchesOf("windows")[0]!.body.query);
    const composite = (body: Record<string, unknown>) => (body.aggs as { versions: { composite: Record<string, unknown> } }).versions.composite;
    expect(pages.map((page) => composite(page.body).after)).toEqual([
      undefined,
      { day: DAY0, namespace: "orders", version: " 1.4.0" },
      { day: DAY0, namespace: "payments", version: " " },
      { day: DAY0 + DAY, namespace: "orders", version: "1.5.0" },
    ]);
    expect(openPits.size).toBe(0);
  });

  it("fails the whole count when the versions cannot be read, after retrying, and closes the point in time", async () => {
    standardRoutes();
    route("POST", "/_search", (request) => {
      const aggs = request.body.aggs as Record<string, unknown>;
      if ("versions" in aggs) return responseError(502, "bad_gateway", "upstream down");
      if ("errors" in aggs)
        return searchResponse({
          hits: { total: { value: 1, relation: "eq" }, hits: [] },
          aggregations: { errors: { doc_count: 1, without_namespace: { doc_count: 0 } } },
        });
      if ("extent" in aggs) return searchResponse({ aggregations: { extent: { doc_count: 1, oldest: { value: T0 }, newest: { value: T0 } } } });
      return compositePage("windows", []);
    });
    const failure = await makeSource()
      .countWindows(range)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toBe(UPSTREAM_DOWN_MESSAGE);
    expect(searchesOf("versions")).toHaveLength(3);
    expect(searchesOf("extent")).toHaveLength(0);
    expect(openPits.size).toBe(0);
  });

  it("refuses a versions bucket that does not start a UTC day", async () => {
    standardRoutes();
    countingRoutes([[versionBucket(DAY0 + 3_600_000, "orders", "1.4.0", T0, T0)], []]);
    await expect(makeSource().countWindows(range)).rejects.toThrow(/versions bucket starting at .*not the start of a UTC day/);
    expect(openPits.size).toBe(0);
  });

  it("refuses a versions bucket without its first and last document rather than dating nothing", async () => {
    standardRoutes();
    countingRoutes([[{ ...versionBucket(DAY0, "orders", "1.4.0", T0, T0), last: { value: null } }], []]);
    await expect(makeSource().countWindows(range)).rejects.toThrow(/versions bucket without its first and last document/);
  });

  it.each([
    ["a keyword field as it is", { "service.version": keyword }, "service.version"],
    [
      "a number field as it is",
      { "service.version": { long: { type: "long", metadata_field: false, searchable: true, aggregatable: true } } },
      "service.version",
    ],
    ["the keyword sub-field of a text field", { "service.version": text, "service.version.keyword": keyword }, "service.version.keyword"],
  ])("aggregates %s", async (_, caps, field) => {
    standardRoutes();
    withCaps(caps);
    countingRoutes();
    const report = await makeSource().countWindows(range);
    const sources = (searchesOf("versions")[0]!.body.aggs as { versions: { composite: { sources: Record<string, { terms?: { field: string } }>[] } } }).versions
      .composite.sources;
    expect(sources[2]).toEqual({ version: { terms: { field } } });
    expect(report.versions?.size).toBe(1);
  });

  it("sends no versions aggregation without a version field terms can read, and reports no versions", async () => {
    for (const [caps, warning] of [
      [{ "service.version": undefined }, 'source.fields.version: the indices have no field "service.version"; documents will have none'],
      [
        { "service.version": text },
        'source.fields.version: "service.version" is text and has no keyword sub-field; ingestion cannot date the versions (only documents read for investigation do)',
      ],
    ] as const) {
      mock = new Mock();
      requests = [];
      standardRoutes();
      withCaps(caps);
      countingRoutes();
      const source = makeSource();
      expect((await source.check()).warnings).toEqual([warning]);
      const report = await source.countWindows(range);
      expect(report.versions).toEqual(new Map());
      expect(report.documents).toBe(132);
      expect(searchesOf("versions")).toHaveLength(0);
    }
  });
});

describe("Elasticsearch source: mapping and version", () => {
  function withCaps(caps: Record<string, unknown>) {
    standardRoutes();
    mock.clear({ method: ["GET", "POST"], path: "/:index/_field_caps" });
    route(["GET", "POST"], "/:index/_field_caps", () => caps);
  }

  it("names the index pattern when no index matches", async () => {
    withCaps({ indices: [], fields: {} });
    await expect(makeSource().countWindows(range)).rejects.toThrow('No index matches source.index_pattern "logs-*"');
  });

  it("lists every configured field the indices lack or cannot query", async () => {
    withCaps({ indices: ["logs-1"], fields: { "@timestamp": keyword, "kubernetes.namespace": text, level: keyword } });
    const failure = await makeSource()
      .countWindows(range)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigurationError);
    const message = (failure as Error).message;
    expect(message).toContain('source.fields.timestamp: "@timestamp" is keyword, not a date');
    expect(message).toContain('source.fields.namespace: "kubernetes.namespace" is text and has no keyword sub-field');
    expect(message).toContain('source.fields.message: the indices have no field "message"');
    expect(requests.some((request) => request.path.endsWith("/_pit"))).toBe(false);
  });

  it("reports absent app, trace id and version fields as warnings, not errors", async () => {
    withCaps({ indices: ["logs-1"], fields: { "@timestamp": date, "kubernetes.namespace": keyword, level: keyword, message: text } });
    const check = await makeSource().check();
    expect(check.version).toBe("8.15.3");
    expect(check.warnings).toEqual([
      'source.fields.app: the indices have no field "kubernetes.labels.app"; documents will have none',
      'source.fields.trace_id: the indices have no field "trace.id"; documents will have none',
      'source.fields.version: the indices have no field "service.version"; documents will have none',
    ]);
  });

  it("refuses Elasticsearch 7", async () => {
    standardRoutes();
    mock.clear({ method: "GET", path: "/" });
    route("GET", "/", () => ({ version: { number: "7.17.9" } }));
    await expect(makeSource().check()).rejects.toThrow("Elasticsearch 7.17.9 is not supported: 8.x and 9.x are.");
  });

  it("accepts 9.x, and credentials that may not read the version", async () => {
    standardRoutes();
    mock.clear({ method: "GET", path: "/" });
    route("GET", "/", () => ({ version: { number: "9.1.0" } }));
    expect((await makeSource().check()).version).toBe("9.1.0");
    mock.clear({ method: "GET", path: "/" });
    route("GET", "/", () => responseError(403, "security_exception", "action [cluster:monitor/main] is unauthorized"));
    expect((await makeSource().check()).version).toBeNull();
  });
});

type Hit = { _index: string; _id: string; _score: null; _source: Record<string, unknown>; sort: [number, number] };

function hitsOf(count: number, start: number, namespace = "orders"): Hit[] {
  return Array.from({ length: count }, (_, index) => ({
    _index: "logs-1",
    _id: `${start}-${index}`,
    _score: null,
    _source: {
      "@timestamp": new Date(start + index * 1000).toISOString(),
      level: "ERROR",
      message: index % 2 ? { nested: "object message" } : `failure ${index}`,
      kubernetes: { namespace, labels: { app: "orders-api" } },
      trace: { id: `trace-${index}` },
    },
    sort: [start + index * 1000, index],
  }));
}

/** Answers document searches from per-window hit lists, honouring size and search_after. */
function documentRoutes(hitsByWindow: Map<number, Hit[]>, onSearch: (request: Recorded) => Error | null = () => null): void {
  route("POST", "/_search", (request) => {
    const failure = onSearch(request);
    if (failure) return failure;
    const filter = ((request.body.query as { bool: { filter: Record<string, unknown>[] } }).bool.filter[0] as { range: Record<string, { gte: number }> }).range[
      "@timestamp"
    ]!;
    const all = hitsByWindow.get(filter.gte) ?? [];
    const after = request.body.search_after as [number, number] | undefined;
    const from = after ? all.findIndex((hit) => hit.sort[0] === after[0] && hit.sort[1] === after[1]) + 1 : 0;
    const page = all.slice(from, from + Number(request.body.size));
    return searchResponse({
      pit_id: (request.body.pit as { id: string }).id,
      hits: { ...(request.body.track_total_hits ? { total: { value: all.length, relation: "eq" } } : {}), max_score: null, hits: page },
    });
  });
}

describe("Elasticsearch source: documents", () => {
  it("pages each window with search_after in a point in time, caps it, and reports the true total", async () => {
    standardRoutes();
    documentRoutes(
      new Map([
        [T0, hitsOf(5, T0)],
        [T0 + 2 * WINDOW, hitsOf(1, T0 + 2 * WINDOW)],
      ]),
    );
    const windows: { start: number; messages: string[]; total: number }[] = [];
    const report = await makeSource().readDocuments({ range, maxPerWindow: 3 }, (window) => {
      windows.push({ start: window.windowStart, messages: window.documents.map((document) => document.message), total: window.total });
    });

    expect(windows).toEqual([
      { start: T0, messages: ["failure 0", '{"nested":"object message"}', "failure 2"], total: 5 },
      { start: T0 + 2 * WINDOW, messages: ["failure 0"], total: 1 },
    ]);
    expect(report).toEqual({ windows: 2, read: 4, total: 6 });

    const [first, second] = searches();
    expect(first!.body).toEqual({
      size: 2,
      track_total_hits: true,
      query: {
        bool: {
          filter: [
            { range: { "@timestamp": { gte: T0, lt: T0 + WINDOW, format: "epoch_millis" } } },
            {
              bool: {
                should: [{ term: { level: { value: "ERROR", case_insensitive: true } } }, { term: { level: { value: "Fatal", case_insensitive: true } } }],
                minimum_should_match: 1,
              },
            },
            { exists: { field: "kubernetes.namespace" } },
          ],
        },
      },
      sort: [{ "@timestamp": { order: "asc" } }, { _shard_doc: "asc" }],
      _source: ["@timestamp", "kubernetes.namespace", "kubernetes.labels.app", "level", "message", "trace.id", "service.version"],
      pit: { id: "pit-1", keep_alive: "2m" },
    });
    expect(second!.body).toMatchObject({ size: 1, track_total_hits: false, search_after: [T0 + 1000, 1] });
    // One search per window with nothing in it, two for the capped window, one for the small one.
    expect(searches()).toHaveLength(5);
    expect(openPits.size).toBe(0);
  });

  it("maps hits to documents using the sort value as the timestamp", async () => {
    standardRoutes();
    documentRoutes(new Map([[T0, hitsOf(1, T0)]]));
    const documents: unknown[] = [];
    await makeSource().readDocuments({ range: { fromMs: T0, toMs: T0 + WINDOW }, maxPerWindow: 10 }, (window) => {
      documents.push(...window.documents);
    });
    expect(documents).toEqual([
      { timestamp: T0, namespace: "orders", app: "orders-api", level: "ERROR", message: "failure 0", traceId: "trace-0", version: null },
    ]);
  });

  it("reads the version from nested objects and flat dotted keys; a number is written as text, an empty one is none", async () => {
    standardRoutes();
    const hits = hitsOf(5, T0);
    const versions: unknown[] = [
      { service: { version: "1.5.0" } },
      { "service.version": "1.4.0" },
      { service: { version: 2 } },
      { service: { version: " " } },
      {},
    ];
    hits.forEach((hit, index) => Object.assign(hit._source, versions[index]));
    documentRoutes(new Map([[T0, hits]]));
    const read: (string | null)[] = [];
    await makeSource().readDocuments({ range: { fromMs: T0, toMs: T0 + WINDOW }, maxPerWindow: 10 }, (window) => {
      read.push(...window.documents.map((document) => document.version));
    });
    expect(read).toEqual(["1.5.0", "1.4.0", "2", null, null]);
  });

  it("refuses an answer that leaves out a window of a sample of many windows, rather than taking it as empty", async () => {
    standardRoutes();
    route("POST", "/_search", (request) => {
      const filters = (request.body.aggs as { windows: { filters: { filters: Record<string, unknown> } } }).windows.filters.filters;
      const [first] = Object.keys(filters);
      return searchResponse({
        pit_id: (request.body.pit as { id: string }).id,
        aggregations: { windows: { buckets: { [first!]: { doc_count: 0, sample: { hits: { hits: [] } } } } } },
      });
    });
    const windows: unknown[] = [];
    await expect(
      makeSource().readDocuments({ range: { fromMs: T0, toMs: T0 + 3 * WINDOW }, namespace: "payments", maxPerWindow: 10 }, (window) => {
        windows.push(window);
      }),
    ).rejects.toThrow(/answered without the count of the window/);
    expect(windows).toEqual([]);
    expect(openPits.size).toBe(0);
  });

  it("filters on the namespace when asked", async () => {
    standardRoutes();
    documentRoutes(new Map());
    await makeSource().readDocuments({ range: { fromMs: T0, toMs: T0 + WINDOW }, namespace: "payments", maxPerWindow: 10 }, () => {});
    const filter = (searches()[0]!.body.query as { bool: { filter: unknown[] } }).bool.filter;
    expect(filter).toContainEqual({ term: { "kubernetes.namespace": "payments" } });
  });

  it("starts again with a new point in time when it expires, without handing over a document twice", async () => {
    standardRoutes();
    let expireOnce = true;
    documentRoutes(
      new Map([
        [T0, hitsOf(2, T0)],
        [T0 + WINDOW, hitsOf(4, T0 + WINDOW)],
      ]),
      (request) => {
        if (request.body.search_after && expireOnce) {
          expireOnce = false;
          openPits.clear();
          return responseError(404, "search_context_missing_exception", "No search context found for id [pit-1]");
        }
        return null;
      },
    );
    const seen: string[] = [];
    const notices: string[] = [];
    const report = await makeSource({ onRetry: (message) => notices.push(message) }).readDocuments({ range, maxPerWindow: 10 }, (window) => {
      for (const document of window.documents) seen.push(`${window.windowStart}:${document.traceId}`);
    });
    expect(seen).toEqual([`${T0}:trace-0`, `${T0}:trace-1`, ...[0, 1, 2, 3].map((index) => `${T0 + WINDOW}:trace-${index}`)]);
    expect(report.read).toBe(6);
    expect(requests.filter((request) => request.method === "POST" && request.path.endsWith("/_pit"))).toHaveLength(2);
    expect(notices.some((notice) => notice.includes("point in time expired"))).toBe(true);
    expect(openPits.size).toBe(0);
  });
});

describe("Elasticsearch source: faults", () => {
  it("retries 429, 5xx, dropped connections and timeouts with exponential backoff", async () => {
    standardRoutes();
    const failures: Error[] = [
      responseError(429, "es_rejected_execution_exception", "rejected"),
      responseError(503, "unavailable", "no master"),
      new errors.ConnectionError("other side closed"),
      new errors.TimeoutError("Request timed out"),
    ];
    route("POST", "/_search", (request) => {
      const failure = failures.shift();
      if (failure) return failure;
      if ("extent" in (request.body.aggs as object))
        return searchResponse({ aggregations: { extent: { doc_count: 0, oldest: { value: null }, newest: { value: null } } } });
      if ("versions" in (request.body.aggs as object)) return searchResponse({ aggregations: { versions: { buckets: [] } } });
      return "errors" in (request.body.aggs as object)
        ? searchResponse({
            hits: { total: { value: 0, relation: "eq" }, hits: [] },
            aggregations: { errors: { doc_count: 0, without_namespace: { doc_count: 0 } } },
          })
        : searchResponse({ aggregations: { windows: { buckets: [] } } });
    });
    const notices: string[] = [];
    const report = await makeSource({
      retry: { attempts: 5, initialBackoffMs: 100, maxBackoffMs: 5000 },
      onRetry: (message) => notices.push(message),
    }).countWindows(range);
    expect(report.documents).toBe(0);
    // Full jitter with random() = 0.5: half of 100, 200, 400 and 800 ms.
    expect(sleeps).toEqual([50, 100, 200, 400]);
    expect(notices[0]).toBe(
      "Elasticsearch: count the errors of 2026-01-15 10:00–11:00 Europe/Prague failed (es_rejected_execution_exception); try 2 of 5 in 50 ms",
    );
  });

  it("fails loudly, naming the range, when retries do not help, and still closes the point in time", async () => {
    standardRoutes();
    route("POST", "/_search", () => responseError(502, "bad_gateway", "upstream down"));
    const failure = await makeSource()
      .countWindows(range)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toBe(UPSTREAM_DOWN_MESSAGE);
    expect(searches()).toHaveLength(3);
    expect(openPits.size).toBe(0);
  });

  it("names the window whose documents could not be read", async () => {
    standardRoutes();
    documentRoutes(new Map([[T0, hitsOf(1, T0)]]), (request) => {
      const filter = (request.body.query as { bool: { filter: { range: Record<string, { gte: number }> }[] } }).bool.filter[0]!.range["@timestamp"]!;
      return filter.gte === T0 + WINDOW ? responseError(500, "internal_server_error", "shard failure") : null;
    });
    await expect(makeSource().readDocuments({ range, maxPerWindow: 10 }, () => {})).rejects.toThrow(
      "Could not read the documents of 2026-01-15 10:15–10:30 Europe/Prague",
    );
    expect(openPits.size).toBe(0);
  });

  it("does not retry refused credentials and says which variables to check", async () => {
    route("GET", "/", () => responseError(401, "security_exception", "unable to authenticate user [reader]"));
    const failure = await makeSource()
      .countWindows(range)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toContain(
      "refused the credentials (401: security_exception: unable to authenticate user [reader]). Check ES_API_KEY or ES_USERNAME and ES_PASSWORD.",
    );
    expect(requests).toHaveLength(1);
  });

  it("explains a 403 on the index", async () => {
    standardRoutes();
    mock.clear({ method: "POST", path: "/:index/_pit" });
    route("POST", "/:index/_pit", () => responseError(403, "security_exception", "action [indices:data/read/open_point_in_time] is unauthorized"));
    await expect(makeSource().countWindows(range)).rejects.toThrow(/denied access \(403.*"read" and "view_index_metadata" privileges/);
  });
});
