// Elasticsearch counting benchmark:  npm run bench:es   (or: node --max-old-space-size=8192 --import tsx scripts/bench-es.ts)
//
// 1,000,000 ERROR documents in range (plus the WARN/INFO lines the generator mixes in), indexed
// in a local server that answers the used subset of the Elasticsearch REST API
// (test/support/fake-elasticsearch.ts). The same range is counted per window and namespace in two ways:
//   A. the product's way (lib/es): one composite aggregation paged with after_key, in a point in time;
//   B. the seed's way (fetch_unlimited): every error document fetched with point in time +
//      search_after (10,000 per page, the maximum; _source limited to the mapped fields) and counted
//      by the client.
// Both must give identical counts. Reported per approach: requests, bytes sent and received
// (JSON bodies as sent on the wire, uncompressed) and wall time (median of --rounds, default 3).
// Requests and bytes depend only on the data; times depend on the machine, and include the
// in-process server's own work, so they are indicative.
import { gridOf } from "@/lib/config/grid";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, type estypes } from "@elastic/elasticsearch";
import { formatTable } from "../cli/output";
import { loadConfig } from "@/lib/config";
import { createElasticsearchSource } from "@/lib/es/elasticsearch-source";
import { accessorsOf } from "@/lib/es/field-mapping";
import type { WindowCounts } from "@/lib/pipeline/log-document";
import { generateDayWindows, planDataSet } from "@/lib/synthetic/generate";
import { startFakeElasticsearch, type FakeElasticsearch } from "../test/support/fake-elasticsearch";
import { median, mib, optionValue, printRunHeader, seconds, thousands } from "./bench-support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ERROR_DOCUMENTS = 1_000_000;
const NAMESPACES = 20;
const SEED = 3;
const FIRST_DAY = "2025-10-06";
const FETCH_PAGE = 10_000;

const config = loadConfig(path.join(ROOT, "values.yaml"));
const grid = gridOf(config);

type Traffic = { requests: number; sentBytes: number; receivedBytes: number };
type Pass = Traffic & { ms: number; counts: WindowCounts };

/** Generated documents, in time order, until ERROR_DOCUMENTS errors; the range is the local days they cover. */
function generate(): { documents: Record<string, unknown>[]; range: { fromMs: number; toMs: number }; lines: number } {
  const plan = planDataSet({
    seed: SEED,
    from: FIRST_DAY,
    days: 60,
    timeZone: config.timezone,
    windowMinutes: config.window_minutes,
    namespaces: NAMESPACES,
    rate: 1.5,
  });
  const documents: Record<string, unknown>[] = [];
  let errors = 0;
  generation: for (const date of plan.days) {
    for (const batch of generateDayWindows(plan, date)) {
      for (const document of batch) {
        documents.push({
          "@timestamp": new Date(document.timestamp).toISOString(),
          level: document.level,
          message: document.message,
          kubernetes: { namespace: document.namespace, ...(document.app ? { labels: { app: document.app } } : {}), pod: { name: document.pod } },
          ...(document.traceId ? { trace: { id: document.traceId } } : {}),
        });
        if (document.level === "ERROR") errors += 1;
        if (errors === ERROR_DOCUMENTS) break generation;
      }
    }
  }
  if (errors < ERROR_DOCUMENTS) throw new Error(`The plan produced only ${errors} ERROR documents`);
  // The range ends at the last document's window, so that exactly ERROR_DOCUMENTS errors are in it.
  const lastTimestamp = Date.parse(String(documents.at(-1)!["@timestamp"]));
  return {
    documents,
    range: { fromMs: grid.localDayRange(FIRST_DAY).startMs, toMs: grid.windowStartOf(lastTimestamp) + grid.windowMs },
    lines: documents.length,
  };
}

function trafficSince(server: FakeElasticsearch, from: number): Traffic {
  const requests = server.requests.slice(from);
  return {
    requests: requests.length,
    sentBytes: requests.reduce((sum, request) => sum + request.requestBytes, 0),
    receivedBytes: requests.reduce((sum, request) => sum + request.responseBytes, 0),
  };
}

function client(server: FakeElasticsearch): Client {
  return new Client({ node: server.url, maxRetries: 0, requestTimeout: 600_000 });
}

async function aggregationPass(server: FakeElasticsearch, range: { fromMs: number; toMs: number }): Promise<Pass> {
  const settings = config.source.elasticsearch;
  const source = createElasticsearchSource(client(server), {
    indexPattern: config.source.index_pattern,
    fields: config.source.fields,
    errorLevels: config.source.error_levels,
    grid,
    pageSize: settings.page_size,
    aggregationPageSize: settings.aggregation_page_size,
    pointInTimeKeepAlive: settings.point_in_time_keep_alive,
    retry: { attempts: 1, initialBackoffMs: 0, maxBackoffMs: 0 },
    place: server.url,
  });
  // The mapping check is made once per source; warm it so that both passes start equal.
  await source.check();
  const before = server.requests.length;
  const started = performance.now();
  const report = await source.countWindows(range);
  const ms = performance.now() - started;
  await source.close();
  return { ...trafficSince(server, before), ms, counts: report.counts };
}

/** The seed's approach: every error document through point in time + search_after, counted by the client. */
async function fetchEverythingPass(server: FakeElasticsearch, range: { fromMs: number; toMs: number }): Promise<Pass> {
  const es = client(server);
  const fields = config.source.fields;
  const field = accessorsOf(fields);
  const before = server.requests.length;
  const started = performance.now();
  const counts: WindowCounts = new Map();
  const pit = await es.openPointInTime({ index: config.source.index_pattern, keep_alive: "2m" });
  let pitId = pit.id;
  let searchAfter: estypes.SortResults | undefined;
  const query: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [
        { range: { [fields.timestamp]: { gte: range.fromMs, lt: range.toMs, format: "epoch_millis" } } },
        {
          bool: {
            should: config.source.error_levels.map((level) => ({ term: { [fields.level]: { value: level, case_insensitive: true } } })),
            minimum_should_match: 1,
          },
        },
      ],
    },
  };
  for (;;) {
    const page = await es.search<Record<string, unknown>>({
      pit: { id: pitId, keep_alive: "2m" },
      size: FETCH_PAGE,
      track_total_hits: false,
      query,
      sort: [{ [fields.timestamp]: { order: "asc" } }, { _shard_doc: "asc" }],
      _source: [...new Set(Object.values(fields))],
      ...(searchAfter ? { search_after: searchAfter } : {}),
    });
    if (page.pit_id) pitId = page.pit_id;
    for (const hit of page.hits.hits) {
      const start = grid.windowStartOf(Number(hit.sort?.[0]));
      const namespace = String(field.namespace(hit._source ?? {}));
      let byNamespace = counts.get(start);
      if (!byNamespace) {
        byNamespace = new Map();
        counts.set(start, byNamespace);
      }
      byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + 1);
    }
    if (page.hits.hits.length < FETCH_PAGE) break;
    searchAfter = page.hits.hits.at(-1)!.sort;
  }
  await es.closePointInTime({ id: pitId });
  const ms = performance.now() - started;
  await es.close();
  return { ...trafficSince(server, before), ms, counts };
}

function sameCounts(left: WindowCounts, right: WindowCounts): boolean {
  if (left.size !== right.size) return false;
  for (const [start, byNamespace] of left) {
    const other = right.get(start);
    if (!other || other.size !== byNamespace.size) return false;
    for (const [namespace, count] of byNamespace) if (other.get(namespace) !== count) return false;
  }
  return true;
}

const total = (counts: WindowCounts) => [...counts.values()].reduce((sum, byNamespace) => sum + [...byNamespace.values()].reduce((a, b) => a + b, 0), 0);
const buckets = (counts: WindowCounts) => [...counts.values()].reduce((sum, byNamespace) => sum + byNamespace.size, 0);

async function main(): Promise<void> {
  const rounds = Number(optionValue("--rounds") ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number of at least 1");
  printRunHeader(ROOT);

  const generated = performance.now();
  const { documents, range, lines } = generate();
  console.log(`Generated ${thousands(lines)} documents (${thousands(ERROR_DOCUMENTS)} ERROR) in ${seconds(performance.now() - generated)}`);
  const server = await startFakeElasticsearch();
  const indexed = performance.now();
  server.index("logs-bench", documents);
  console.log(`Indexed in the local server in ${seconds(performance.now() - indexed)}; heap ${mib(process.memoryUsage().heapUsed)}`);
  const windows = grid.windowsBetween(range.fromMs, range.toMs).length;

  const aggregation: Pass[] = [];
  const fetching: Pass[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Take turns going first, so that the machine's drift hits both alike.
    const order = round % 2 === 1 ? [true, false] : [false, true];
    for (const isAggregation of order) {
      if (isAggregation) aggregation.push(await aggregationPass(server, range));
      else fetching.push(await fetchEverythingPass(server, range));
    }
    const [a, b] = [aggregation.at(-1)!, fetching.at(-1)!];
    if (!sameCounts(a.counts, b.counts)) throw new Error("The two approaches counted differently");
    if (total(a.counts) !== ERROR_DOCUMENTS) throw new Error(`Counted ${total(a.counts)} errors, expected ${ERROR_DOCUMENTS}`);
    console.log(`round ${round}/${rounds}: aggregation ${seconds(a.ms)}, fetching every document ${seconds(b.ms)}`);
  }
  await server.close();

  const a = aggregation[0]!;
  const b = fetching[0]!;
  const aMs = median(aggregation.map((pass) => pass.ms));
  const bMs = median(fetching.map((pass) => pass.ms));
  console.log(
    `\nRange: ${new Date(range.fromMs).toISOString()} – ${new Date(range.toMs).toISOString()}: ${windows} windows × ${NAMESPACES} namespaces; ${thousands(buckets(a.counts))} non-empty (window, namespace) buckets; ${thousands(ERROR_DOCUMENTS)} errors counted identically by both.`,
  );
  console.log(
    formatTable(
      ["APPROACH", "REQUESTS", "SENT", "RECEIVED", "MEDIAN TIME", "ALL ROUNDS (s)"],
      [
        [
          "A. composite aggregation (lib/es)",
          thousands(a.requests),
          `${thousands(a.sentBytes)} B`,
          `${thousands(a.receivedBytes)} B (${mib(a.receivedBytes)})`,
          seconds(aMs),
          aggregation.map((pass) => (pass.ms / 1000).toFixed(2)).join(" "),
        ],
        [
          "B. every document (PIT + search_after)",
          thousands(b.requests),
          `${thousands(b.sentBytes)} B`,
          `${thousands(b.receivedBytes)} B (${mib(b.receivedBytes)})`,
          seconds(bMs),
          fetching.map((pass) => (pass.ms / 1000).toFixed(2)).join(" "),
        ],
      ],
    ),
  );
  console.log(
    `B / A: ${(b.requests / a.requests).toFixed(1)}× the requests, ${(b.receivedBytes / a.receivedBytes).toFixed(0)}× the bytes received, ${(bMs / aMs).toFixed(1)}× the time.`,
  );
}

await main();
