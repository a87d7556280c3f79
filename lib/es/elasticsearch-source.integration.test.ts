import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ConfigurationError, UnavailableError } from "@/lib/errors";
import type { CountReport, LogSource, WindowDocuments } from "@/lib/pipeline/log-document";
import { createWindowGrid } from "@/lib/pipeline/time";
import { startFakeElasticsearch, type FakeElasticsearch } from "@/test/support/fake-elasticsearch";
import { writeLines } from "@/test/support/log-files";
import { generatedDataSet } from "@/test/support/generated-documents";
import { createElasticsearchClient } from "./client";
import { createElasticsearchSource, type ElasticsearchSourceOptions } from "./elasticsearch-source";
import { fileSourceOf } from "./index";

// The Elasticsearch source against a local server that answers the used subset of the REST
// API with real response shapes, and the same documents through the file source: counts and
// documents must be identical (lib/jobs/source-parity compares what ingestion stores).

const config = loadConfig(path.resolve("values.yaml"));
const grid = createWindowGrid(config.timezone, config.window_minutes);
const data = generatedDataSet(grid);
const { plan: dataPlan, documents, everything } = data;
const splitDay = { startMs: data.detection.fromMs, endMs: grid.localDayRange(dataPlan.days[21]!).endMs };
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-es-source-"));
const inputFile = path.join(workDir, "all.ndjson.gz");
let server: FakeElasticsearch;

beforeAll(async () => {
  await writeLines(
    inputFile,
    documents.map((document) => JSON.stringify(document)),
  );
  server = await startFakeElasticsearch({ auth: { apiKey: "secret-key" } });
  server.index(
    "logs-2026.01",
    documents.filter((document) => String(document["@timestamp"]) < "2026-01-20"),
  );
  server.index(
    "logs-2026.02",
    documents.filter((document) => String(document["@timestamp"]) >= "2026-01-20"),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const sleeps: number[] = [];

function elasticsearch(overrides: Partial<ElasticsearchSourceOptions> & { apiKey?: string; url?: string; requestTimeoutMs?: number } = {}) {
  const { apiKey = "secret-key", url = server.url, requestTimeoutMs = 10_000, ...options } = overrides;
  return createElasticsearchSource(createElasticsearchClient({ url, apiKey, rejectUnauthorized: true, requestTimeoutMs }), {
    indexPattern: "logs-*",
    fields: config.source.fields,
    errorLevels: config.source.error_levels,
    grid,
    pageSize: 500,
    aggregationPageSize: 1000,
    pointInTimeKeepAlive: "1m",
    retry: { attempts: 4, initialBackoffMs: 5, maxBackoffMs: 50 },
    place: url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
}

const files = () => fileSourceOf(config, [inputFile]);

function plainCounts(report: CountReport) {
  return [...report.counts]
    .sort(([left], [right]) => left - right)
    .map(([start, byNamespace]) => [start, Object.fromEntries([...byNamespace].sort(([left], [right]) => left.localeCompare(right)))] as const);
}

async function collect(source: LogSource, query: Parameters<LogSource["readDocuments"]>[0]): Promise<WindowDocuments[]> {
  const windows: WindowDocuments[] = [];
  await source.readDocuments(query, (window) => {
    windows.push(window);
  });
  return windows;
}

describe("the Elasticsearch source against a local server", () => {
  it("counts exactly what the file source counts, from aggregations alone", async () => {
    const source = elasticsearch();
    server.resetRequests();
    const [fromServer, fromFiles] = await Promise.all([source.countWindows(everything), files().countWindows(everything)]);
    expect(plainCounts(fromServer)).toEqual(plainCounts(fromFiles));
    expect(fromServer.documents).toBe(fromFiles.documents);
    expect(fromServer.ignoredLevels).toBe(fromFiles.ignoredLevels);
    expect(fromServer.documents).toBeGreaterThan(50_000);
    // This index maps no version field: no version is dated, and that is no error.
    expect(fromServer.versions).toEqual(new Map());
    expect(fromServer.versions).toEqual(fromFiles.versions);
    const searches = server.requests.filter((request) => request.path.endsWith("/_search"));
    expect(searches.every((request) => (request.body as { size?: number }).size === 0)).toBe(true);
    expect(server.openPitCount()).toBe(0);
    await source.close();
  });

  it("reads the same documents per window as the file source, capped, with the true totals", async () => {
    const range = { fromMs: splitDay.startMs, toMs: splitDay.startMs + 8 * grid.windowMs };
    const query = { range, maxPerWindow: 7 };
    const [fromServer, fromFiles] = [await collect(elasticsearch(), query), await collect(files(), query)];
    expect(fromServer.length).toBe(8);
    expect(fromServer).toEqual(fromFiles);
    expect(fromServer.some((window) => window.total > 7)).toBe(true);
    expect(server.openPitCount()).toBe(0);
  });

  it("reads one namespace's documents past several pages", async () => {
    const namespace = dataPlan.namespaces[0]!.name;
    const range = { fromMs: splitDay.startMs + 40 * grid.windowMs, toMs: splitDay.startMs + 42 * grid.windowMs };
    const query = { range, namespace, maxPerWindow: 10_000 };
    const fromServer = await collect(elasticsearch({ pageSize: 3 }), query);
    expect(fromServer).toEqual(await collect(files(), query));
    expect(
      fromServer.every((window) => window.documents.length === window.total && window.documents.every((document) => document.namespace === namespace)),
    ).toBe(true);
  });

  it("retries a 429 no sooner than its Retry-After, a 503, a slow answer and a connection dropped midway", async () => {
    sleeps.length = 0;
    server.inject({ status: 429, retryAfterSeconds: 1 }, { path: /_search/ });
    server.inject({ status: 503 }, { path: /_search/ });
    server.inject({ delayMs: 1500 }, { path: /_search/ });
    server.inject({ drop: "mid-body" }, { path: /_search/ });
    const retries: string[] = [];
    const source = elasticsearch({
      requestTimeoutMs: 1000,
      retry: { attempts: 6, initialBackoffMs: 5, maxBackoffMs: 5000 },
      onRetry: (message) => retries.push(message),
    });
    const range = { fromMs: splitDay.startMs, toMs: splitDay.endMs };
    const report = await source.countWindows(range);
    expect(plainCounts(report)).toEqual(plainCounts(await files().countWindows(range)));
    expect(retries).toHaveLength(4);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(server.openPitCount()).toBe(0);
  });

  it("samples a namespace's windows many per search, the same documents and totals as the file source", async () => {
    const namespace = dataPlan.namespaces[0]!.name;
    const day = { fromMs: splitDay.startMs, toMs: splitDay.startMs + 96 * grid.windowMs };
    const samples = (request: { path: string; body?: unknown }) =>
      request.path.endsWith("/_search") && JSON.stringify(request.body ?? null).includes('"top_hits"');
    for (const [maxPerWindow, searches] of [
      [5, 1],
      // 5,000 documents at most per answer: 83 windows, then 13.
      [60, 2],
    ] as const) {
      const query = { range: day, namespace, maxPerWindow };
      server.resetRequests();
      const fromServer = await collect(elasticsearch(), query);
      expect(server.requests.filter(samples)).toHaveLength(searches);
      expect(server.requests.filter((request) => request.path.endsWith("/_search"))).toHaveLength(searches);
      expect(fromServer).toEqual(await collect(files(), query));
      expect(fromServer.length).toBeGreaterThan(40);
      expect(fromServer.some((window) => window.total > maxPerWindow && window.documents.length === maxPerWindow)).toBe(maxPerWindow === 5);
    }
    // A part of a window at either end of the range is sampled as that part alone.
    const ragged = { range: { fromMs: day.fromMs + 7 * 60_000, toMs: day.fromMs + 10 * grid.windowMs + 5 * 60_000 }, namespace, maxPerWindow: 4 };
    expect(await collect(elasticsearch(), ragged)).toEqual(await collect(files(), ragged));
    expect(server.openPitCount()).toBe(0);
  });

  it("samples again with a new point in time when the old one expired, handing no window over twice", async () => {
    const namespace = dataPlan.namespaces[1]!.name;
    const query = { range: { fromMs: splitDay.startMs, toMs: splitDay.startMs + 96 * grid.windowMs }, namespace, maxPerWindow: 60 };
    server.inject({ expirePit: true }, { path: /_search/, times: 1 });
    const notices: string[] = [];
    const fromServer = await collect(elasticsearch({ onRetry: (message) => notices.push(message) }), query);
    expect(fromServer).toEqual(await collect(files(), query));
    expect(notices.some((notice) => notice.includes("point in time expired"))).toBe(true);
    expect(server.openPitCount()).toBe(0);
  });

  it("starts a document read again with a new point in time when the old one expired", async () => {
    const range = { fromMs: splitDay.startMs, toMs: splitDay.startMs + 4 * grid.windowMs };
    const query = { range, maxPerWindow: 20 };
    server.inject({ expirePit: true }, { path: /_search/, times: 1 });
    const notices: string[] = [];
    const fromServer = await collect(elasticsearch({ pageSize: 5, onRetry: (message) => notices.push(message) }), query);
    expect(fromServer).toEqual(await collect(files(), query));
    expect(notices.some((notice) => notice.includes("point in time expired"))).toBe(true);
    expect(server.openPitCount()).toBe(0);
  });

  it("fails naming the range when the server keeps failing, and leaves no point in time open", async () => {
    server.inject({ status: 500 }, { path: /_search/, times: 4 });
    const range = { fromMs: splitDay.startMs, toMs: splitDay.endMs };
    const failure = await elasticsearch()
      .countWindows(range)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toContain(`Could not count the errors of ${dataPlan.days[21]} 00:00–`);
    expect(server.openPitCount()).toBe(0);
  });

  it("refuses a wrong API key at once, and an index pattern that matches nothing", async () => {
    const before = server.requests.length;
    await expect(elasticsearch({ apiKey: "wrong" }).countWindows(everything)).rejects.toThrow(ConfigurationError);
    expect(server.requests.length - before).toBe(1);
    await expect(elasticsearch({ indexPattern: "nothing-*" }).countWindows(everything)).rejects.toThrow('No index matches source.index_pattern "nothing-*"');
  });

  it("reports an unreachable server as unavailable after retrying", async () => {
    const failure = await elasticsearch({ url: "http://127.0.0.1:9" })
      .countWindows(everything)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toContain("unreachable");
  });
});

describe("the versions the Elasticsearch source dates while counting", () => {
  const MINUTE = 60_000;
  const DAY = 86_400_000;
  // From 21:00 to 05:00 in Prague: the counted range spans two UTC days.
  const range = { fromMs: Date.parse("2026-03-10T20:00:00Z"), toMs: Date.parse("2026-03-11T04:00:00Z") };
  const firstDay = Date.parse("2026-03-10T00:00:00Z");
  const versionDir = mkdtempSync(path.join(os.tmpdir(), "peaks-es-versions-"));
  const versionFile = path.join(versionDir, "versions.ndjson");
  let versionServer: FakeElasticsearch;

  /**
   * Two namespaces, each releasing 1.5.0 after 1.4.0 at its own time after UTC midnight, one
   * error every 3 minutes per namespace at uneven seconds; and what must date nothing: documents
   * without a version or with a blank one, another level, outside the range, without a namespace.
   * Versions as logs write them: one with spaces around it, one a JSON number.
   */
  function versionDocuments(): Record<string, unknown>[] {
    const documents: Record<string, unknown>[] = [];
    const releases = { orders: Date.parse("2026-03-11T00:40:00Z"), payments: Date.parse("2026-03-11T02:10:00Z") };
    for (let at = range.fromMs - 30 * MINUTE, index = 0; at < range.toMs + 30 * MINUTE; at += 3 * MINUTE, index += 1) {
      for (const namespace of ["orders", "payments"] as const) {
        const timestamp = at + (index % 17) * 1_009 + (namespace === "payments" ? 61_000 : 0);
        const version = timestamp >= releases[namespace] ? (index % 10 === 3 ? " 1.5.0 " : "1.5.0") : index % 10 === 7 ? 2 : "1.4.0";
        const document: Record<string, unknown> = {
          "@timestamp": new Date(timestamp).toISOString(),
          level: index % 9 === 4 ? "INFO" : "ERROR",
          message: `failure ${index}`,
          kubernetes: { namespace },
        };
        if (index % 8 === 5) document.service = { version: " " };
        else if (index % 8 !== 6) document.service = { version };
        documents.push(document);
      }
    }
    documents.push({ "@timestamp": new Date(range.fromMs + 5 * MINUTE).toISOString(), level: "ERROR", message: "no namespace", service: { version: "9.9.9" } });
    return documents;
  }

  beforeAll(async () => {
    const documents = versionDocuments();
    await writeLines(
      versionFile,
      documents.map((document) => JSON.stringify(document)),
    );
    // The version as Elasticsearch maps a string by default: text with a keyword sub-field.
    versionServer = await startFakeElasticsearch({
      auth: { apiKey: "secret-key" },
      mappings: { "@timestamp": "date", "kubernetes.namespace": "keyword", level: "keyword", message: "text", "service.version": "text_with_keyword" },
    });
    versionServer.index("logs-2026.03.10", documents.slice(0, documents.length / 2));
    versionServer.index("logs-2026.03.11", documents.slice(documents.length / 2));
  });

  afterAll(async () => {
    await versionServer?.close();
    rmSync(versionDir, { recursive: true, force: true });
  });

  const plain = (versions: CountReport["versions"]) =>
    [...(versions ?? [])]
      .sort(([left], [right]) => left - right)
      .map(
        ([day, byNamespace]) =>
          [
            day,
            Object.fromEntries(
              [...byNamespace].sort(([left], [right]) => left.localeCompare(right)).map(([namespace, byVersion]) => [namespace, Object.fromEntries(byVersion)]),
            ),
          ] as const,
      );
  const versionSearches = () =>
    versionServer.requests.filter((request) => request.path.endsWith("/_search") && JSON.stringify(request.body).includes('"versions"'));

  it("dates the same versions as the file source does from the same documents, per UTC day and namespace", async () => {
    const source = elasticsearch({ url: versionServer.url });
    versionServer.resetRequests();
    const [fromServer, fromFiles] = [await source.countWindows(range), await fileSourceOf(config, [versionFile]).countWindows(range)];
    await source.close();
    expect(plain(fromServer.versions)).toEqual(plain(fromFiles.versions));
    expect(plainCounts(fromServer)).toEqual(plainCounts(fromFiles));
    // Two UTC days; the releases after midnight; a number read as text, spaces trimmed, no version from the documents that must date none.
    const dated = plain(fromServer.versions);
    expect(dated.map(([day]) => day)).toEqual([firstDay, firstDay + DAY]);
    expect(
      dated.map(([, byNamespace]) =>
        Object.fromEntries(Object.entries(byNamespace).map(([namespace, byVersion]) => [namespace, Object.keys(byVersion).sort()])),
      ),
    ).toEqual([
      { orders: ["1.4.0", "2"], payments: ["1.4.0", "2"] },
      { orders: ["1.4.0", "1.5.0", "2"], payments: ["1.4.0", "1.5.0", "2"] },
    ]);
    const orders = fromServer.versions!.get(firstDay + DAY)!.get("orders")!;
    expect(orders.get("1.4.0")!.lastSeenMs).toBeLessThan(Date.parse("2026-03-11T00:40:00Z"));
    expect(orders.get("1.5.0")!.firstSeenMs).toBeGreaterThanOrEqual(Date.parse("2026-03-11T00:40:00Z"));
    expect(fromServer.versions!.get(firstDay)!.get("orders")!.get("1.4.0")!.firstSeenMs).toBeGreaterThanOrEqual(range.fromMs);
    // One page of a thousand buckets and the empty one after it, on the keyword sub-field.
    expect(versionSearches()).toHaveLength(2);
    expect(JSON.stringify(versionSearches()[0]!.body)).toContain('{"version":{"terms":{"field":"service.version.keyword"}}}');
    expect(versionServer.openPitCount()).toBe(0);
  });

  it("pages the versions by after_key to the same map when they are more than one page", async () => {
    const whole = await elasticsearch({ url: versionServer.url }).countWindows(range);
    versionServer.resetRequests();
    const paged = await elasticsearch({ url: versionServer.url, aggregationPageSize: 2 }).countWindows(range);
    expect(plain(paged.versions)).toEqual(plain(whole.versions));
    const dated = [...whole.versions!.values()].flatMap((byNamespace) => [...byNamespace.values()]).reduce((sum, byVersion) => sum + byVersion.size, 0);
    // At least a bucket per version dated (" 1.5.0 " and "1.5.0" are two), two a page, and the empty page that ends the paging.
    expect(versionSearches().length).toBeGreaterThanOrEqual(Math.ceil(dated / 2) + 1);
    expect(dated).toBeGreaterThan(6);
    expect(versionServer.openPitCount()).toBe(0);
  });
});
