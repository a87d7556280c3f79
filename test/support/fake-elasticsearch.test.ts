import { Client, errors } from "@elastic/elasticsearch";
import type { estypes } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakeElasticsearch, type FakeElasticsearch, type FieldType } from "./fake-elasticsearch";

const MAPPINGS: Record<string, FieldType> = {
  "@timestamp": "date",
  "kubernetes.namespace": "keyword",
  "kubernetes.labels.app": "keyword",
  level: "keyword",
  message: "text_with_keyword",
  "trace.id": "keyword",
  "http.status": "long",
};

const START = Date.UTC(2024, 2, 1); // 2024-03-01T00:00:00Z
const NAMESPACES = ["alpha", "beta", "gamma"] as const;

type LogDoc = { "@timestamp": string; kubernetes: { namespace: string; labels: { app: string } }; level: string; message: string; http: { status: number } };

/** Two documents per minute (equal timestamps exercise the _shard_doc tiebreaker). */
function makeLogs(count: number): LogDoc[] {
  return Array.from({ length: count }, (_, position) => ({
    "@timestamp": new Date(START + Math.floor(position / 2) * 60_000).toISOString(),
    kubernetes: { namespace: NAMESPACES[position % 3]!, labels: { app: position % 5 === 0 ? "api" : "worker" } },
    level: position % 4 === 0 ? "ERROR" : "INFO",
    message: position % 4 === 0 ? `User ${position} failed to connect` : `request ${position} served`,
    http: { status: position % 4 === 0 ? 500 : 200 },
  }));
}

const LOGS = makeLogs(600);
const timeOf = (doc: LogDoc) => Date.parse(doc["@timestamp"]);

const errorBodySchema = z.object({
  error: z
    .object({
      type: z.string(),
      reason: z.string(),
      root_cause: z.array(z.object({ type: z.string(), reason: z.string() }).loose()),
    })
    .loose(),
  status: z.number(),
});

/** Runs a client call expected to fail with an HTTP error; returns the parsed ES error body. */
async function clientError(call: Promise<unknown>, status: number) {
  const error = await call.then(
    () => {
      throw new Error(`expected HTTP ${status}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(errors.ResponseError);
  if (!(error instanceof errors.ResponseError)) throw error;
  expect(error.statusCode).toBe(status);
  return { body: errorBodySchema.parse(error.meta.body), headers: error.meta.headers };
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error("expected a rejection");
    },
    (caught: unknown) => caught,
  );
}

function postJson(server: FakeElasticsearch, path: string, body: unknown, method = "POST"): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("fake Elasticsearch", () => {
  let server: FakeElasticsearch;
  let client: Client;

  beforeAll(async () => {
    server = await startFakeElasticsearch({ mappings: MAPPINGS });
    server.index("logs-a", LOGS);
    client = new Client({ node: server.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe("GET /", () => {
    it("answers the cluster info with the product header, through fetch and the client", async () => {
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-elastic-product")).toBe("Elasticsearch");
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toMatchObject({
        version: { number: "8.15.3", build_flavor: "default", lucene_version: "9.11.1", minimum_wire_compatibility_version: "7.17.0" },
        tagline: "You Know, for Search",
      });
      const info = await client.info();
      expect(info.version.number).toBe("8.15.3");
      expect(await client.ping()).toBe(true);
    });

    it("answers the compatible-with media type the request asked for", async () => {
      const response = await fetch(server.url, { headers: { accept: "application/vnd.elasticsearch+json; compatible-with=8" } });
      expect(response.headers.get("content-type")).toBe("application/vnd.elasticsearch+json;compatible-with=8");
    });

    it("reports the configured version", async () => {
      const other = await startFakeElasticsearch({ version: "8.11.4" });
      try {
        const otherClient = new Client({ node: other.url, maxRetries: 0 });
        expect((await otherClient.info()).version.number).toBe("8.11.4");
        await otherClient.close();
      } finally {
        await other.close();
      }
    });
  });

  describe("_field_caps", () => {
    it("reports a text_with_keyword field as text plus a .keyword keyword", async () => {
      const caps = await client.fieldCaps({ index: "logs-*", fields: ["message*", "kubernetes.namespace", "http.status", "absent"] });
      expect(caps.indices).toEqual(["logs-a"]);
      expect(caps.fields).toEqual({
        message: { text: { type: "text", metadata_field: false, searchable: true, aggregatable: false } },
        "message.keyword": { keyword: { type: "keyword", metadata_field: false, searchable: true, aggregatable: true } },
        "kubernetes.namespace": { keyword: { type: "keyword", metadata_field: false, searchable: true, aggregatable: true } },
        "http.status": { long: { type: "long", metadata_field: false, searchable: true, aggregatable: true } },
      });
    });

    it("accepts fields in the query string with wildcards, including parent objects", async () => {
      const response = await fetch(`${server.url}/logs-a/_field_caps?fields=kubernetes.*,@timestamp`);
      const body: unknown = await response.json();
      expect(body).toEqual({
        indices: ["logs-a"],
        fields: {
          "@timestamp": { date: { type: "date", metadata_field: false, searchable: true, aggregatable: true } },
          "kubernetes.labels": { object: { type: "object", metadata_field: false, searchable: false, aggregatable: false } },
          "kubernetes.labels.app": { keyword: { type: "keyword", metadata_field: false, searchable: true, aggregatable: true } },
          "kubernetes.namespace": { keyword: { type: "keyword", metadata_field: false, searchable: true, aggregatable: true } },
        },
      });
    });

    it("answers empty when no index matches, or 404 with allow_no_indices=false", async () => {
      expect(await (await fetch(`${server.url}/nothing-*/_field_caps?fields=*`)).json()).toEqual({ indices: [], fields: {} });
      const strict = await fetch(`${server.url}/nothing-*/_field_caps?fields=*&allow_no_indices=false`);
      expect(strict.status).toBe(404);
      expect(await strict.json()).toMatchObject({
        error: { type: "index_not_found_exception", root_cause: [{ type: "index_not_found_exception" }] },
        status: 404,
      });
      const { body } = await clientError(client.fieldCaps({ index: "missing", fields: "*" }), 404);
      expect(body.error.reason).toBe("no such index [missing]");
    });
  });

  describe("_search", () => {
    it("answers the real response shape with 10 hits in index order by default", async () => {
      const result = await client.search({ index: "logs-a" });
      expect(result.timed_out).toBe(false);
      expect(result._shards).toEqual({ total: 1, successful: 1, skipped: 0, failed: 0 });
      expect(result.hits.total).toEqual({ value: 600, relation: "eq" });
      expect(result.hits.max_score).toBe(1);
      expect(result.hits.hits).toHaveLength(10);
      const first = result.hits.hits[0]!;
      expect(first._index).toBe("logs-a");
      expect(first._id).toMatch(/^[\w-]{20}$/);
      expect(first._score).toBe(1);
      expect(first._source).toEqual(LOGS[0]);
      expect(new Set(result.hits.hits.map((hit) => hit._id)).size).toBe(10);
    });

    it("honours track_total_hits: a limit, true and false", async () => {
      const limited = await client.search({ index: "logs-a", size: 0, track_total_hits: 100 });
      expect(limited.hits.total).toEqual({ value: 100, relation: "gte" });
      const exact = await client.search({ index: "logs-a", size: 0, track_total_hits: true, query: { term: { level: "ERROR" } } });
      expect(exact.hits.total).toEqual({ value: 150, relation: "eq" });
      const none = await client.search({ index: "logs-a", size: 0, track_total_hits: false });
      expect(none.hits.total).toBeUndefined();
      const viaQueryString: unknown = await (await fetch(`${server.url}/logs-a/_search?size=0&track_total_hits=5`)).json();
      expect(viaQueryString).toMatchObject({ hits: { total: { value: 5, relation: "gte" }, hits: [] } });
    });

    it("filters with bool, term, terms, range, exists and should", async () => {
      const from = START + 60 * 60_000;
      const to = START + 120 * 60_000;
      const result = await client.search({
        index: "logs-a",
        size: 0,
        track_total_hits: true,
        query: {
          bool: {
            filter: [
              { range: { "@timestamp": { gte: from, lt: to, format: "epoch_millis" } } },
              { terms: { "kubernetes.namespace": ["alpha", "gamma"] } },
              { exists: { field: "kubernetes.labels.app" } },
            ],
            must_not: { term: { level: { value: "ERROR" } } },
          },
        },
      });
      const expected = LOGS.filter((doc) => timeOf(doc) >= from && timeOf(doc) < to && doc.kubernetes.namespace !== "beta" && doc.level !== "ERROR").length;
      expect(expected).toBeGreaterThan(0);
      expect(result.hits.total).toEqual({ value: expected, relation: "eq" });

      const isoRange = await client.search({
        index: "logs-a",
        size: 0,
        query: { range: { "@timestamp": { gt: new Date(from).toISOString(), lte: new Date(to).toISOString() } } },
      });
      expect(isoRange.hits.total).toEqual({ value: LOGS.filter((doc) => timeOf(doc) > from && timeOf(doc) <= to).length, relation: "eq" });

      const should = await client.search({
        index: "logs-a",
        size: 0,
        query: { bool: { should: [{ term: { "kubernetes.namespace": "alpha" } }, { term: { level: "ERROR" } }] } },
      });
      expect(should.hits.total).toEqual({ value: LOGS.filter((doc) => doc.kubernetes.namespace === "alpha" || doc.level === "ERROR").length, relation: "eq" });

      const both = await client.search({
        index: "logs-a",
        size: 0,
        query: { bool: { should: [{ term: { "kubernetes.namespace": "alpha" } }, { term: { level: "ERROR" } }], minimum_should_match: 2 } },
      });
      expect(both.hits.total).toEqual({ value: LOGS.filter((doc) => doc.kubernetes.namespace === "alpha" && doc.level === "ERROR").length, relation: "eq" });

      const longRange = await client.search({ index: "logs-a", size: 0, query: { range: { "http.status": { gte: 500 } } } });
      expect(longRange.hits.total).toEqual({ value: 150, relation: "eq" });
    });

    it("scores pure filter context 0.0, like Elasticsearch", async () => {
      const result = await client.search({ index: "logs-a", size: 1, query: { bool: { filter: { term: { level: "ERROR" } } } } });
      expect(result.hits.max_score).toBe(0);
      expect(result.hits.hits[0]?._score).toBe(0);
    });

    it("matches keyword fields exactly and text fields by lowercase tokens", async () => {
      const count = async (query: object) => (await client.count({ index: "logs-a", query })).count;
      expect(await count({ term: { "kubernetes.namespace": "alpha" } })).toBe(200);
      expect(await count({ term: { "kubernetes.namespace": "Alpha" } })).toBe(0);
      expect(await count({ term: { "kubernetes.namespace": { value: "Alpha", case_insensitive: true } } })).toBe(200);
      expect(await count({ term: { message: "failed" } })).toBe(150);
      expect(await count({ term: { message: "Failed" } })).toBe(0); // term queries are not analyzed
      expect(await count({ match: { message: "FAILED connect" } })).toBe(150);
      expect(await count({ match: { message: { query: "failed served", operator: "and" } } })).toBe(0);
      expect(await count({ match_phrase: { message: "to connect" } })).toBe(150);
      expect(await count({ term: { "message.keyword": "User 0 failed to connect" } })).toBe(1);
      expect(await count({ prefix: { "kubernetes.namespace": "gam" } })).toBe(200);
      expect(await count({ wildcard: { "kubernetes.namespace": "?et*" } })).toBe(200);
    });

    it("reads nested and dotted keys alike, and matches any element of an array", async () => {
      server.index("shapes", [
        { "@timestamp": "2024-05-01T10:00:00", "kubernetes.namespace": "flat", message: "x".repeat(300) },
        { "@timestamp": 1714557600000, kubernetes: { namespace: "nested", "labels.app": "mixed" } },
        { "@timestamp": "2024-05-01T12:00:00+02:00", kubernetes: [{ namespace: "first" }, { namespace: "second" }], level: ["WARN", "ERROR"] },
        { message: "no timestamp", unmapped: "ignored" },
      ]);
      const count = async (query: object) => (await client.count({ index: "shapes", query })).count;
      expect(await count({ term: { "kubernetes.namespace": "flat" } })).toBe(1);
      expect(await count({ term: { "kubernetes.namespace": "nested" } })).toBe(1);
      expect(await count({ term: { "kubernetes.labels.app": "mixed" } })).toBe(1);
      expect(await count({ term: { "kubernetes.namespace": "second" } })).toBe(1);
      expect(await count({ term: { level: "ERROR" } })).toBe(1);
      expect(await count({ term: { unmapped: "ignored" } })).toBe(0);
      // A zone-less date is UTC; all three timestamps are 2024-05-01T10:00:00Z.
      expect(await count({ term: { "@timestamp": "2024-05-01T10:00:00Z" } })).toBe(3);
      expect(await count({ exists: { field: "@timestamp" } })).toBe(3);
      expect(await count({ exists: { field: "kubernetes" } })).toBe(3);
      // message.keyword ignores strings over 256 characters, as the default dynamic mapping does.
      expect(await count({ exists: { field: "message" } })).toBe(2);
      expect(await count({ exists: { field: "message.keyword" } })).toBe(1);
    });

    it("filters _source keeping the document's own nesting or dotted keys", async () => {
      const result = await client.search({ index: "shapes", size: 3, _source: ["kubernetes.namespace"] });
      expect(result.hits.hits.map((hit) => hit._source)).toEqual([
        { "kubernetes.namespace": "flat" },
        { kubernetes: { namespace: "nested" } },
        { kubernetes: [{ namespace: "first" }, { namespace: "second" }] },
      ]);
      const excluded = await client.search({ index: "logs-a", size: 1, _source: { includes: ["kubernetes.*", "level"], excludes: ["kubernetes.labels"] } });
      expect(excluded.hits.hits[0]?._source).toEqual({ kubernetes: { namespace: "alpha" }, level: "ERROR" });
      const none = await client.search({ index: "logs-a", size: 1, _source: false });
      expect(none.hits.hits[0]).not.toHaveProperty("_source");
    });

    it("sorts on the timestamp with sort values, ties in index order", async () => {
      const result = await client.search({ index: "logs-a", size: 4, sort: [{ "@timestamp": { order: "desc" } }] });
      expect(result.hits.max_score).toBeNull();
      expect(result.hits.hits.map((hit) => hit._score)).toEqual([null, null, null, null]);
      const last = timeOf(LOGS[599]!);
      expect(result.hits.hits.map((hit) => hit.sort)).toEqual([[last], [last], [last - 60_000], [last - 60_000]]);
      expect(result.hits.hits.map((hit) => hit._source)).toEqual([LOGS[598], LOGS[599], LOGS[596], LOGS[597]]);
      const viaQueryString: unknown = await (await fetch(`${server.url}/logs-a/_search?size=1&sort=@timestamp:asc`)).json();
      expect(viaQueryString).toMatchObject({ hits: { hits: [{ sort: [START] }] } });
      const isoFormat = await client.search({ index: "logs-a", size: 1, sort: [{ "@timestamp": { order: "asc", format: "strict_date_optional_time" } }] });
      expect(isoFormat.hits.hits[0]?.sort).toEqual(["2024-03-01T00:00:00.000Z"]);
    });

    it("skips documents tied with a one-value search_after, as ES does without a tiebreaker", async () => {
      const second = timeOf(LOGS[2]!);
      const result = await client.search({ index: "logs-a", size: 2, sort: [{ "@timestamp": "asc" }], search_after: [second] });
      expect(result.hits.hits.map((hit) => hit._source)).toEqual([LOGS[4], LOGS[5]]);
    });

    it("supports date math and rounds partial dates up for lte", async () => {
      const now = Date.now();
      server.index("recent", [{ "@timestamp": now - 3_600_000 }, { "@timestamp": now - 3 * 86_400_000 }]);
      expect((await client.count({ index: "recent", query: { range: { "@timestamp": { gte: "now-1d" } } } })).count).toBe(1);
      expect((await client.count({ index: "recent", query: { range: { "@timestamp": { lt: "now-2d/d" } } } })).count).toBe(1);
      // lte "2024-03-01" covers the whole day, gt "2024-03-01" excludes it.
      expect((await client.count({ index: "logs-a", query: { range: { "@timestamp": { lte: "2024-03-01" } } } })).count).toBe(600);
      expect((await client.count({ index: "logs-a", query: { range: { "@timestamp": { gt: "2024-03-01" } } } })).count).toBe(0);
    });

    it("answers typed_keys and rest_total_hits_as_int", async () => {
      const response = await fetch(`${server.url}/logs-a/_search?typed_keys=true&rest_total_hits_as_int=true&size=0`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ aggs: { levels: { terms: { field: "level" } }, errors: { filter: { term: { level: "ERROR" } } } } }),
      });
      expect(await response.json()).toMatchObject({
        hits: { total: 600 },
        aggregations: { "sterms#levels": { buckets: [{ key: "INFO" }, { key: "ERROR" }] }, "filter#errors": { doc_count: 150 } },
      });
    });

    it("answers keyed filters buckets, each with its first documents by time from top_hits and its exact count", async () => {
      const minutes = (count: number) => START + count * 60_000;
      const response = await client.search<LogDoc>({
        index: "logs-a",
        size: 0,
        query: { term: { level: "ERROR" } },
        aggs: {
          windows: {
            filters: {
              filters: {
                first: { range: { "@timestamp": { gte: minutes(0), lt: minutes(10), format: "epoch_millis" } } },
                later: { range: { "@timestamp": { gte: minutes(100), lt: minutes(130), format: "epoch_millis" } } },
                none: { range: { "@timestamp": { gte: minutes(10_000), lt: minutes(10_001), format: "epoch_millis" } } },
              },
            },
            aggs: { sample: { top_hits: { size: 3, sort: [{ "@timestamp": { order: "asc" } }], _source: ["message"] } } },
          },
        },
      });
      const buckets = (
        response.aggregations?.windows as { buckets: Record<string, { doc_count: number; sample: { hits: { hits: { _source: unknown; sort: number[] }[] } } }> }
      ).buckets;
      const errorsBetween = (from: number, to: number) =>
        LOGS.filter((doc) => doc.level === "ERROR" && timeOf(doc) >= minutes(from) && timeOf(doc) < minutes(to));
      expect(buckets.first!.doc_count).toBe(errorsBetween(0, 10).length);
      expect(buckets.later!.doc_count).toBe(errorsBetween(100, 130).length);
      expect(buckets.none).toMatchObject({ doc_count: 0, sample: { hits: { hits: [] } } });
      expect(buckets.later!.sample.hits.hits.map((hit) => hit._source)).toEqual(
        errorsBetween(100, 130)
          .slice(0, 3)
          .map((doc) => ({ message: doc.message })),
      );
      expect(buckets.later!.sample.hits.hits.map((hit) => hit.sort[0])).toEqual(errorsBetween(100, 130).slice(0, 3).map(timeOf));
    });

    it("refuses top_hits of more than 100 documents, as index.max_inner_result_window does", async () => {
      const { body } = await clientError(
        client.search({ index: "logs-a", size: 0, aggs: { sample: { top_hits: { size: 101, sort: [{ "@timestamp": "asc" }] } } } }),
        400,
      );
      expect(body.error.reason).toContain("Top hits result window is too large");
    });

    it("rejects a result window over 10,000 like a shard failure", async () => {
      const { body } = await clientError(client.search({ index: "logs-a", from: 9_995, size: 10 }), 400);
      expect(body.error.type).toBe("search_phase_execution_exception");
      expect(body.error.root_cause[0]).toMatchObject({ type: "illegal_argument_exception" });
      expect(body.error.root_cause[0]?.reason).toContain("Result window is too large, from + size must be less than or equal to: [10000] but was [10005]");
    });

    it("rejects unknown queries, unknown body keys and invalid JSON", async () => {
      const unknownQuery = await clientError(client.search({ index: "logs-a", query: { fuzzy_thing: {} } as object }), 400);
      expect(unknownQuery.body.error).toMatchObject({ type: "parsing_exception", reason: "unknown query [fuzzy_thing]" });
      const unknownKey = await postJson(server, "/logs-a/_search", { querry: { match_all: {} } });
      expect(unknownKey.status).toBe(400);
      expect(await unknownKey.json()).toMatchObject({
        error: { type: "parsing_exception", reason: "Unknown key for a START_OBJECT in [querry]." },
        status: 400,
      });
      const invalid = await fetch(`${server.url}/logs-a/_search`, { method: "POST", headers: { "content-type": "application/json" }, body: "{ nope" });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ error: { type: "x_content_parse_exception", root_cause: [{ type: "x_content_parse_exception" }] } });
    });

    it("rejects sorts it does not implement, naming them", async () => {
      const keyword = await clientError(client.search({ index: "logs-a", sort: ["level"] }), 400);
      expect(keyword.body.error.reason).toContain("fake-elasticsearch does not support sorting on the keyword field [level]");
      const shardDoc = await clientError(client.search({ index: "logs-a", sort: [{ "@timestamp": "asc" }, "_shard_doc"] }), 400);
      expect(shardDoc.body.error.reason).toContain("[_shard_doc] sort field cannot be used without [point in time]");
      const unmapped = await clientError(client.search({ index: "logs-a", sort: ["nope"] }), 400);
      expect(unmapped.body.error.root_cause[0]?.reason).toBe("No mapping found for [nope] in order to sort on");
    });

    it("answers 404 for a missing index and searches nothing for an unmatched wildcard", async () => {
      const { body } = await clientError(client.search({ index: "missing" }), 404);
      expect(body.error).toMatchObject({ type: "index_not_found_exception", reason: "no such index [missing]" });
      const empty = await client.search({ index: "nothing-*" });
      expect(empty._shards.total).toBe(0);
      expect(empty.hits.total).toEqual({ value: 0, relation: "eq" });
    });
  });

  describe("point in time", () => {
    it("pages every document exactly once in order with search_after", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "1m" });
      expect(pit._shards.total).toBe(1);
      expect(server.openPitCount()).toBe(1);
      const seen: string[] = [];
      const times: number[] = [];
      let searchAfter: (string | number)[] | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await client.search({
          pit: { id: pit.id, keep_alive: "1m" },
          size: 97,
          sort: [{ "@timestamp": "asc" }],
          track_total_hits: false,
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        expect(result.pit_id).toBe(pit.id);
        const hits = result.hits.hits;
        if (hits.length === 0) break;
        for (const hit of hits) {
          seen.push(JSON.stringify(hit._source));
          const [time, shardDoc] = hit.sort ?? [];
          expect(typeof shardDoc).toBe("number");
          times.push(Number(time));
        }
        searchAfter = z.array(z.union([z.number(), z.string()])).parse(hits.at(-1)?.sort);
      }
      expect(seen).toEqual(LOGS.map((doc) => JSON.stringify(doc)));
      expect(times).toEqual(LOGS.map(timeOf));
      expect((await client.closePointInTime({ id: pit.id })).succeeded).toBe(true);
      expect(server.openPitCount()).toBe(0);
    });

    it("pages descending with an explicit _shard_doc tiebreaker", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "1m" });
      const seen: unknown[] = [];
      let searchAfter: (string | number)[] | undefined;
      for (;;) {
        const result = await client.search({
          pit: { id: pit.id },
          size: 250,
          sort: [{ "@timestamp": { order: "desc" } }, { _shard_doc: "desc" }],
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        const hits = result.hits.hits;
        if (hits.length === 0) break;
        seen.push(...hits.map((hit) => hit._source));
        searchAfter = z.array(z.union([z.number(), z.string()])).parse(hits.at(-1)?.sort);
      }
      expect(seen).toEqual([...LOGS].reverse());
      await client.closePointInTime({ id: pit.id });
    });

    it("pages descending with the implicit ascending tiebreaker across split timestamp runs", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "1m" });
      const seen: unknown[] = [];
      let searchAfter: estypes.SortResults | undefined;
      for (;;) {
        const result = await client.search({
          pit: { id: pit.id },
          size: 7,
          sort: [{ "@timestamp": "desc" }],
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        const hits = result.hits.hits;
        if (hits.length === 0) break;
        seen.push(...hits.map((hit) => hit._source));
        searchAfter = hits.at(-1)?.sort;
      }
      const expected = Array.from({ length: 300 }, (_, minute) => [LOGS[598 - 2 * minute], LOGS[599 - 2 * minute]]).flat();
      expect(seen).toEqual(expected);
      await client.closePointInTime({ id: pit.id });
    });

    it("puts documents without a timestamp last and pages through them", async () => {
      const pit = await client.openPointInTime({ index: "shapes", keep_alive: "1m" });
      const sorts: unknown[] = [];
      let searchAfter: estypes.SortResults | undefined;
      for (;;) {
        const result = await client.search({ pit: { id: pit.id }, size: 1, sort: ["@timestamp"], ...(searchAfter ? { search_after: searchAfter } : {}) });
        const hit = result.hits.hits[0];
        if (!hit) break;
        sorts.push(hit.sort?.[0]);
        searchAfter = hit.sort;
      }
      // ES gives a missing value Long.MAX_VALUE, which JSON numbers read as 2^63.
      expect(sorts).toEqual([1714557600000, 1714557600000, 1714557600000, 2 ** 63]);
      await client.closePointInTime({ id: pit.id });
    });

    it("keeps the documents of the moment it was opened", async () => {
      server.index("isolation", makeLogs(10));
      const pit = await client.openPointInTime({ index: "isolation", keep_alive: "1m" });
      server.index("isolation", makeLogs(5));
      const throughPit = await client.search({ pit: { id: pit.id }, size: 0 });
      expect(throughPit.hits.total).toEqual({ value: 10, relation: "eq" });
      const live = await client.search({ index: "isolation", size: 0 });
      expect(live.hits.total).toEqual({ value: 15, relation: "eq" });
      await client.closePointInTime({ id: pit.id });
    });

    it("answers search_context_missing_exception once expired", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "1m" });
      server.expireAllPits();
      const { body } = await clientError(client.search({ pit: { id: pit.id }, size: 1 }), 404);
      expect(body.error.root_cause[0]?.type).toBe("search_context_missing_exception");
      expect(body.error.root_cause[0]?.reason).toMatch(/^No search context found for id \[\d+\]$/);
      const closed = await client.closePointInTime({ id: pit.id }, { ignore: [404] });
      expect(closed).toEqual({ succeeded: false, num_freed: 0 });

      const short = await client.openPointInTime({ index: "logs-a", keep_alive: "20ms" });
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(server.openPitCount()).toBe(0);
      await clientError(client.search({ pit: { id: short.id } }), 404);
    });

    it("rejects an index in the path, a missing index and a missing keep_alive", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "1m" });
      const withIndex = await clientError(client.search({ index: "logs-a", pit: { id: pit.id } }), 400);
      expect(withIndex.body.error.reason).toContain("[indices] cannot be used with point in time. Do not specify any index with point in time.");
      const withRouting = await clientError(client.search({ pit: { id: pit.id }, routing: "a" }), 400);
      expect(withRouting.body.error.reason).toBe("Validation Failed: 1: [routing] cannot be used with point in time;");
      await client.closePointInTime({ id: pit.id });
      const missing = await clientError(client.openPointInTime({ index: "missing", keep_alive: "1m" }), 404);
      expect(missing.body.error.type).toBe("index_not_found_exception");
      const noKeepAlive = await fetch(`${server.url}/logs-a/_pit`, { method: "POST" });
      expect(noKeepAlive.status).toBe(400);
    });
  });

  describe("aggregations", () => {
    it("pages a composite aggregation to the same counts as a naive count", async () => {
      const expected = new Map<string, number>();
      for (const doc of LOGS) {
        const key = `${doc.kubernetes.namespace}|${Math.floor(timeOf(doc) / 900_000) * 900_000}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const seen = new Map<string, number>();
      const keys: string[] = [];
      let after: Record<string, string | number | null> | undefined;
      let pages = 0;
      for (;;) {
        const result = await client.search({
          index: "logs-a",
          size: 0,
          aggs: {
            windows: {
              composite: {
                size: 7,
                sources: [
                  { namespace: { terms: { field: "kubernetes.namespace" } } },
                  { window: { date_histogram: { field: "@timestamp", fixed_interval: "15m" } } },
                ],
                ...(after ? { after } : {}),
              },
            },
          },
        });
        const windows = z
          .object({
            after_key: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
            buckets: z.array(z.object({ key: z.object({ namespace: z.string(), window: z.number() }), doc_count: z.number() })),
          })
          .parse(result.aggregations?.windows);
        pages++;
        if (windows.buckets.length === 0) {
          expect(windows.after_key).toBeUndefined();
          break;
        }
        expect(windows.after_key).toEqual(windows.buckets.at(-1)?.key);
        for (const bucket of windows.buckets) {
          const key = `${bucket.key.namespace}|${bucket.key.window}`;
          seen.set(key, bucket.doc_count);
          keys.push(key);
        }
        after = windows.after_key;
      }
      expect(pages).toBeGreaterThan(3);
      expect(seen).toEqual(expected);
      expect(keys).toEqual(
        [...expected.keys()].sort((left, right) => {
          const [leftNs = "", leftTime = ""] = left.split("|");
          const [rightNs = "", rightTime = ""] = right.split("|");
          return leftNs.localeCompare(rightNs) || Number(leftTime) - Number(rightTime);
        }),
      );
    });

    describe("date_histogram time zones", () => {
      const windows = async (index: string, interval: Record<string, string>, timeZone: string) => {
        const result = await client.search({
          index,
          size: 0,
          aggs: { windows: { composite: { size: 100, sources: [{ window: { date_histogram: { field: "@timestamp", ...interval, time_zone: timeZone } } }] } } },
        });
        const parsed = z
          .object({ buckets: z.array(z.object({ key: z.object({ window: z.number() }), doc_count: z.number() })) })
          .parse(result.aggregations?.windows);
        return parsed.buckets.map((bucket) => [new Date(bucket.key.window).toISOString(), bucket.doc_count]);
      };

      it("keeps Prague's repeated 02:00 hour apart when DST ends (1h)", async () => {
        server.index(
          "tz-prague-autumn",
          ["2024-10-26T23:30:00Z", "2024-10-27T00:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T01:00:00Z", "2024-10-27T01:30:00Z", "2024-10-27T02:00:00Z"].map(
            (time) => ({ "@timestamp": time }),
          ),
        );
        expect(await windows("tz-prague-autumn", { fixed_interval: "1h" }, "Europe/Prague")).toEqual([
          ["2024-10-26T23:00:00.000Z", 1],
          ["2024-10-27T00:00:00.000Z", 2], // 02:00-03:00 CEST
          ["2024-10-27T01:00:00.000Z", 2], // 02:00-03:00 CET
          ["2024-10-27T02:00:00.000Z", 1],
        ]);
      });

      it("skips Prague's missing 02:00 hour when DST starts (1h), and days start at local midnight", async () => {
        server.index(
          "tz-prague-spring",
          ["2024-03-30T23:30:00Z", "2024-03-31T00:30:00Z", "2024-03-31T01:00:00Z", "2024-03-31T01:30:00Z", "2024-03-31T21:00:00Z", "2024-03-31T22:30:00Z"].map(
            (time) => ({ "@timestamp": time }),
          ),
        );
        expect(await windows("tz-prague-spring", { fixed_interval: "1h" }, "Europe/Prague")).toEqual([
          ["2024-03-30T23:00:00.000Z", 1],
          ["2024-03-31T00:00:00.000Z", 1], // 01:00 CET
          ["2024-03-31T01:00:00.000Z", 2], // 03:00 CEST
          ["2024-03-31T21:00:00.000Z", 1],
          ["2024-03-31T22:00:00.000Z", 1],
        ]);
        expect(await windows("tz-prague-spring", { calendar_interval: "1d" }, "Europe/Prague")).toEqual([
          ["2024-03-30T23:00:00.000Z", 5], // 2024-03-31 00:00 CET, a 23-hour day
          ["2024-03-31T22:00:00.000Z", 1], // 2024-04-01 00:00 CEST
        ]);
      });

      it("rounds Kolkata's +05:30 hours to half past in UTC", async () => {
        server.index(
          "tz-kolkata",
          ["2024-01-01T10:00:00Z", "2024-01-01T10:29:59Z", "2024-01-01T10:30:00Z", "2024-01-01T11:15:00Z"].map((time) => ({ "@timestamp": time })),
        );
        expect(await windows("tz-kolkata", { fixed_interval: "1h" }, "Asia/Kolkata")).toEqual([
          ["2024-01-01T09:30:00.000Z", 2],
          ["2024-01-01T10:30:00.000Z", 2],
        ]);
      });
    });

    it("answers terms, filter and missing aggregations with sub-aggregations", async () => {
      const result = await client.search({
        index: "shapes",
        size: 0,
        aggs: {
          namespaces: { terms: { field: "kubernetes.namespace", size: 2 } },
          errors: { filter: { term: { level: "ERROR" } }, aggs: { apps: { terms: { field: "kubernetes.namespace" } } } },
          untimed: { missing: { field: "@timestamp" } },
        },
      });
      expect(result.aggregations).toEqual({
        namespaces: {
          doc_count_error_upper_bound: 0,
          sum_other_doc_count: 2,
          buckets: [
            { key: "first", doc_count: 1 },
            { key: "flat", doc_count: 1 },
          ],
        },
        errors: {
          doc_count: 1,
          apps: {
            doc_count_error_upper_bound: 0,
            sum_other_doc_count: 0,
            buckets: [
              { key: "first", doc_count: 1 },
              { key: "second", doc_count: 1 },
            ],
          },
        },
        untimed: { doc_count: 1 },
      });
      const levels = await client.search({ index: "logs-a", size: 0, aggs: { levels: { terms: { field: "level" } } } });
      expect(levels.aggregations?.levels).toEqual({
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 0,
        buckets: [
          { key: "INFO", doc_count: 450 },
          { key: "ERROR", doc_count: 150 },
        ],
      });
    });

    it("rejects aggregating a text field, too many buckets and unknown types", async () => {
      const text = await clientError(
        client.search({ index: "logs-a", size: 0, aggs: { by: { composite: { sources: [{ message: { terms: { field: "message" } } }] } } } }),
        400,
      );
      expect(text.body.error.root_cause[0]?.type).toBe("illegal_argument_exception");
      expect(text.body.error.root_cause[0]?.reason).toContain("Text fields are not optimised");
      expect(text.body.error.root_cause[0]?.reason).toContain("Please use a keyword field instead");
      const tooMany = await clientError(
        client.search({ index: "logs-a", size: 0, aggs: { by: { composite: { size: 65_537, sources: [{ level: { terms: { field: "level" } } }] } } } }),
        400,
      );
      expect(tooMany.body.error.root_cause[0]?.type).toBe("too_many_buckets_exception");
      const unknown = await postJson(server, "/logs-a/_search", { size: 0, aggs: { x: { percentiles_bucket_thing: {} } } });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ error: { type: "parsing_exception" } });
    });
  });

  describe("faults", () => {
    it("answers 429 with Retry-After, once, for a matching request", async () => {
      server.inject({ status: 429, retryAfterSeconds: 3 }, { method: "POST", path: /_search$/ });
      const viaFetch = await postJson(server, "/logs-a/_search", { size: 0 });
      expect(viaFetch.status).toBe(429);
      expect(viaFetch.headers.get("retry-after")).toBe("3");
      expect(await viaFetch.json()).toMatchObject({ error: { type: "es_rejected_execution_exception" }, status: 429 });
      expect((await postJson(server, "/logs-a/_search", { size: 0 })).status).toBe(200);

      server.inject({ status: 429, retryAfterSeconds: 1 });
      const { body, headers } = await clientError(client.search({ index: "logs-a", size: 0 }), 429);
      expect(body.error.type).toBe("es_rejected_execution_exception");
      expect(headers?.["retry-after"]).toBe("1");
    });

    it("answers 500, 502 and 503", async () => {
      server.inject({ status: 500 });
      server.inject({ status: 502 });
      server.inject({ status: 503 });
      await clientError(client.info(), 500);
      const badGateway = await rejection(client.info());
      expect(badGateway).toBeInstanceOf(errors.ResponseError);
      if (badGateway instanceof errors.ResponseError) expect(badGateway.statusCode).toBe(502);
      const unavailable = await clientError(client.info(), 503);
      expect(unavailable.body.error.type).toBe("cluster_block_exception");
    });

    it("matches faults by method and path, first in first out, `times` times", async () => {
      server.inject({ status: 500 }, { path: /_pit/, times: 2 });
      server.inject({ status: 503 }, { method: "GET", path: /^\/$/ });
      expect((await fetch(server.url)).status).toBe(503);
      expect((await fetch(`${server.url}/logs-a/_pit?keep_alive=1m`, { method: "POST" })).status).toBe(500);
      expect((await fetch(`${server.url}/logs-a/_pit?keep_alive=1m`, { method: "POST" })).status).toBe(500);
      const third = await fetch(`${server.url}/logs-a/_pit?keep_alive=1m`, { method: "POST" });
      expect(third.status).toBe(200);
      const { id } = z.object({ id: z.string() }).parse(await third.json());
      expect((await postJson(server, "/_pit", { id }, "DELETE")).status).toBe(200);
    });

    it("delays, then answers normally", async () => {
      server.inject({ delayMs: 120 });
      const started = performance.now();
      expect((await client.info()).tagline).toBe("You Know, for Search");
      expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    });

    it("drops the connection before responding", async () => {
      server.inject({ drop: "before-response" });
      expect(await rejection(client.info())).toBeInstanceOf(errors.ConnectionError);
      server.inject({ drop: "before-response" });
      await expect(fetch(server.url)).rejects.toThrow();
    });

    it("drops the connection mid-body, which the client surfaces as an error", async () => {
      server.resetRequests();
      server.inject({ drop: "mid-body" }, { path: /_search/ });
      const error = await rejection(client.search({ index: "logs-a", size: 50 }));
      expect(error).toBeInstanceOf(errors.ConnectionError);
      const [recorded] = server.requests;
      expect(recorded?.status).toBe(200);
      expect(recorded?.responseBytes).toBeGreaterThan(0);

      server.inject({ drop: "mid-body" });
      const response = await fetch(`${server.url}/logs-a/_search?size=50`);
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    });

    it("expires every PIT when an expirePit fault matches", async () => {
      const pit = await client.openPointInTime({ index: "logs-a", keep_alive: "5m" });
      server.inject({ expirePit: true }, { path: /_search/ });
      const { body } = await clientError(client.search({ pit: { id: pit.id } }), 404);
      expect(body.error.root_cause[0]?.type).toBe("search_context_missing_exception");
    });
  });

  describe("requests log", () => {
    it("records method, path, query, body and byte counts of every request", async () => {
      server.resetRequests();
      await client.search({ index: "logs-a,logs-b*", size: 1, query: { term: { level: "ERROR" } } });
      const notFound = await fetch(`${server.url}/nope/_search?size=1`);
      const [search, missing] = server.requests;
      expect(search).toMatchObject({ method: "POST", path: "/logs-a,logs-b*/_search", status: 200, body: { size: 1, query: { term: { level: "ERROR" } } } });
      expect(search?.requestBytes).toBe(Buffer.byteLength(JSON.stringify(search?.body)));
      expect(search?.responseBytes).toBeGreaterThan(100);
      expect(missing).toMatchObject({ method: "GET", path: "/nope/_search", query: { size: "1" }, status: 404, requestBytes: 0, body: null });
      expect(missing?.responseBytes).toBe(Buffer.byteLength(await notFound.text()));
    });
  });

  describe("routing and content negotiation", () => {
    it("answers 405 for a wrong method and 400 for an unknown route", async () => {
      const wrongMethod = await fetch(`${server.url}/_pit`);
      expect(wrongMethod.status).toBe(405);
      expect(await wrongMethod.json()).toEqual({ error: "Incorrect HTTP method for uri [/_pit] and method [GET], allowed: [DELETE]", status: 405 });
      const unknown = await fetch(`${server.url}/_cat/indices`);
      expect(unknown.status).toBe(400);
      expect(unknown.headers.get("x-elastic-product")).toBe("Elasticsearch");
    });

    it("accepts a trailing slash and rejects a non-JSON content type like ES (406)", async () => {
      expect((await fetch(`${server.url}/logs-a/_search/`)).status).toBe(200);
      const plain = await fetch(`${server.url}/logs-a/_search`, { method: "POST", body: "{}" });
      expect(plain.status).toBe(406);
    });
  });
});

describe("fake Elasticsearch with a second date field", () => {
  it("sorts on a date field other than the primary timestamp", async () => {
    const server = await startFakeElasticsearch({ mappings: { "@timestamp": "date", "event.created": "date", level: "keyword" } });
    const client = new Client({ node: server.url, maxRetries: 0 });
    try {
      server.index("events", [
        { "@timestamp": "2024-01-01T00:00:00Z", event: { created: "2024-01-03T00:00:00Z" }, level: "a" },
        { "@timestamp": "2024-01-02T00:00:00Z", level: "b" },
        { "@timestamp": "2024-01-03T00:00:00Z", event: { created: "2024-01-01T00:00:00Z" }, level: "c" },
      ]);
      const result = await client.search({ index: "events", sort: [{ "event.created": "desc" }] });
      expect(result.hits.hits.map((hit) => hit.sort)).toEqual([[Date.UTC(2024, 0, 3)], [Date.UTC(2024, 0, 1)], [-(2 ** 63)]]);
      expect(() => server.index("events", [{ event: { created: "yesterday" } }])).toThrow(/mapper_parsing_exception/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("fake Elasticsearch: a composite of a daily date_histogram and two terms sources with min and max per bucket", () => {
  const DAY = 86_400_000;
  const day0 = Date.UTC(2024, 2, 1);
  type VersionDoc = { "@timestamp": string; ns: string; level: string; service?: { version?: unknown }; build?: number };
  // Two UTC days, two namespaces, versions as text with a keyword sub-field (one a JSON number,
  // one blank), a numeric build, documents without either, and one of another level.
  const documents: VersionDoc[] = Array.from({ length: 60 }, (_, position) => {
    const document: VersionDoc = {
      "@timestamp": new Date(day0 + 22 * 3_600_000 + position * 5 * 60_000 + (position % 7) * 1_013).toISOString(),
      ns: position % 3 === 0 ? "orders" : "payments",
      level: position === 13 ? "INFO" : "ERROR",
    };
    if (position % 5 !== 4) document.service = { version: position % 11 === 0 ? 2 : position % 13 === 0 ? " " : `1.${Math.floor(position / 20)}.0` };
    if (position % 4 !== 0) document.build = 100 + (position % 3);
    return document;
  });

  let server: FakeElasticsearch;
  let client: Client;
  beforeAll(async () => {
    server = await startFakeElasticsearch({
      mappings: { "@timestamp": "date", ns: "keyword", level: "keyword", "service.version": "text_with_keyword", build: "long" },
    });
    server.index("versions", documents);
    client = new Client({ node: server.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const bucketSchema = z.object({
    key: z.object({ day: z.number(), ns: z.string(), version: z.union([z.string(), z.number()]) }),
    doc_count: z.number(),
    first: z.object({ value: z.number(), value_as_string: z.string() }),
    last: z.object({ value: z.number(), value_as_string: z.string() }),
  });
  const pageSchema = z.object({ after_key: z.record(z.string(), z.union([z.string(), z.number()])).optional(), buckets: z.array(bucketSchema) });

  /** Every bucket, page after page of `size`; and the number of requests. */
  async function allBuckets(versionField: string, size: number) {
    const buckets: z.infer<typeof bucketSchema>[] = [];
    let after: Record<string, string | number> | undefined;
    let requests = 0;
    for (;;) {
      const result = await client.search({
        index: "versions",
        size: 0,
        query: { term: { level: "ERROR" } },
        aggs: {
          seen: {
            composite: {
              size,
              sources: [
                { day: { date_histogram: { field: "@timestamp", fixed_interval: "1440m", time_zone: "UTC" } } },
                { ns: { terms: { field: "ns" } } },
                { version: { terms: { field: versionField } } },
              ],
              ...(after ? { after } : {}),
            },
            aggs: { first: { min: { field: "@timestamp" } }, last: { max: { field: "@timestamp" } } },
          },
        },
      });
      requests++;
      const page = pageSchema.parse(result.aggregations?.seen);
      buckets.push(...page.buckets);
      if (page.buckets.length === 0 || !page.after_key) return { buckets, requests };
      expect(page.after_key).toEqual(page.buckets.at(-1)?.key);
      after = page.after_key;
    }
  }

  /** The same by reading every document: "day|ns|version" → count, first, last; documents without a value form none. */
  function naive(valueOf: (document: VersionDoc) => string | number | undefined) {
    const expected = new Map<string, { count: number; first: number; last: number }>();
    for (const document of documents) {
      const value = valueOf(document);
      if (document.level !== "ERROR" || value === undefined) continue;
      const time = Date.parse(document["@timestamp"]);
      const key = `${time - (time % DAY)}|${document.ns}|${value}`;
      const entry = expected.get(key);
      if (!entry) expected.set(key, { count: 1, first: time, last: time });
      else expected.set(key, { count: entry.count + 1, first: Math.min(entry.first, time), last: Math.max(entry.last, time) });
    }
    return expected;
  }

  const asMap = (buckets: z.infer<typeof bucketSchema>[]) =>
    new Map(
      buckets.map((bucket) => [
        `${bucket.key.day}|${bucket.key.ns}|${bucket.key.version}`,
        { count: bucket.doc_count, first: bucket.first.value, last: bucket.last.value },
      ]),
    );

  it("gives each (UTC day, namespace, version) its count and first and last instant, in key order, over several pages", async () => {
    const { buckets, requests } = await allBuckets("service.version.keyword", 4);
    const expected = naive((document) => (document.service?.version === undefined ? undefined : String(document.service.version)));
    expect(asMap(buckets)).toEqual(expected);
    expect([...new Set(buckets.map((bucket) => bucket.key.day))]).toEqual([day0, day0 + DAY]);
    expect(buckets.some((bucket) => bucket.key.version === "2") && buckets.some((bucket) => bucket.key.version === " ")).toBe(true);
    // Pages of 4, then the empty page that ends the paging.
    expect(requests).toBe(Math.ceil(expected.size / 4) + 1);
    expect(requests).toBeGreaterThan(2);
    const keys = buckets.map((bucket) => [bucket.key.day, bucket.key.ns, String(bucket.key.version)] as const);
    expect(keys).toEqual(
      [...keys].sort((left, right) => left[0] - right[0] || left[1].localeCompare(right[1]) || (left[2] < right[2] ? -1 : left[2] > right[2] ? 1 : 0)),
    );
    expect(buckets[0]!.first.value_as_string).toBe(new Date(buckets[0]!.first.value).toISOString());
  });

  it("keys a number field's buckets by numbers", async () => {
    const { buckets } = await allBuckets("build", 100);
    expect(buckets.every((bucket) => typeof bucket.key.version === "number")).toBe(true);
    expect(asMap(buckets)).toEqual(naive((document) => document.build));
  });

  it("answers no bucket for an unmapped field, and refuses the text field itself", async () => {
    expect((await allBuckets("service.release", 10)).buckets).toEqual([]);
    const text = await clientError(allBuckets("service.version", 10), 400);
    expect(text.body.error.root_cause[0]?.reason).toContain("Text fields are not optimised");
  });
});

describe("fake Elasticsearch security", () => {
  let server: FakeElasticsearch;

  beforeAll(async () => {
    server = await startFakeElasticsearch({ auth: { apiKey: "a2V5OnNlY3JldA==" }, forbiddenIndices: ["secret"] });
    server.index("logs", [{ "@timestamp": "2024-01-01T00:00:00Z", level: "ERROR" }]);
    server.index("secret", [{ "@timestamp": "2024-01-01T00:00:00Z", level: "ERROR" }]);
  });

  afterAll(() => server.close());

  it("answers 401 with WWW-Authenticate without credentials", async () => {
    const response = await fetch(`${server.url}/logs/_search`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("ApiKey");
    expect(await response.json()).toMatchObject({
      error: { type: "security_exception", reason: "missing authentication credentials for REST request [/logs/_search]" },
      status: 401,
    });
    const anonymous = new Client({ node: server.url, maxRetries: 0 });
    const { body } = await clientError(anonymous.info(), 401);
    expect(body.error.type).toBe("security_exception");
    await anonymous.close();
  });

  it("accepts the API key and answers 403 on a forbidden index, which wildcards skip", async () => {
    const client = new Client({ node: server.url, maxRetries: 0, auth: { apiKey: "a2V5OnNlY3JldA==" } });
    try {
      expect((await client.info()).tagline).toBe("You Know, for Search");
      const search = await clientError(client.search({ index: "secret" }), 403);
      expect(search.body.error.reason).toContain("action [indices:data/read/search] is unauthorized");
      const pit = await clientError(client.openPointInTime({ index: "secret", keep_alive: "1m" }), 403);
      expect(pit.body.error.type).toBe("security_exception");
      const all = await client.search({ index: "*" });
      expect(all.hits.hits.map((hit) => hit._index)).toEqual(["logs"]);
    } finally {
      await client.close();
    }
  });

  it("checks basic credentials", async () => {
    const basic = await startFakeElasticsearch({ auth: { username: "elastic", password: "changeme" } });
    const good = new Client({ node: basic.url, maxRetries: 0, auth: { username: "elastic", password: "changeme" } });
    const bad = new Client({ node: basic.url, maxRetries: 0, auth: { username: "elastic", password: "wrong" } });
    try {
      expect((await good.info()).version.number).toBe("8.15.3");
      const { body } = await clientError(bad.info(), 401);
      expect(body.error.reason).toBe("unable to authenticate user [elastic] for REST request [/]");
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await basic.close();
    }
  });
});

describe("fake Elasticsearch at scale", () => {
  it("aggregates and pages 200,000 documents", async () => {
    const server = await startFakeElasticsearch();
    const client = new Client({ node: server.url, maxRetries: 0 });
    try {
      const documents = Array.from({ length: 200_000 }, (_, position) => ({
        "@timestamp": START + position * 1_000,
        kubernetes: { namespace: `ns-${position % 20}` },
        level: "ERROR",
      }));
      server.index("big", documents);

      let buckets = 0;
      let counted = 0;
      let after: Record<string, string | number | null> | undefined;
      for (;;) {
        const result = await client.search({
          index: "big",
          size: 0,
          track_total_hits: false,
          aggs: {
            windows: {
              composite: {
                size: 1_000,
                sources: [
                  { ns: { terms: { field: "kubernetes.namespace" } } },
                  { window: { date_histogram: { field: "@timestamp", fixed_interval: "15m", time_zone: "Europe/Prague" } } },
                ],
                ...(after ? { after } : {}),
              },
            },
          },
        });
        const page = z
          .object({
            after_key: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
            buckets: z.array(z.object({ doc_count: z.number() })),
          })
          .parse(result.aggregations?.windows);
        if (!page.after_key) break;
        buckets += page.buckets.length;
        counted += page.buckets.reduce((sum, bucket) => sum + bucket.doc_count, 0);
        after = page.after_key;
      }
      expect(counted).toBe(200_000);
      expect(buckets).toBe(20 * Math.ceil(200_000 / 900));

      const pit = await client.openPointInTime({ index: "big", keep_alive: "1m" });
      let seen = 0;
      let previous = Number.NEGATIVE_INFINITY;
      let searchAfter: estypes.SortResults | undefined;
      for (;;) {
        const result = await client.search({
          pit: { id: pit.id, keep_alive: "1m" },
          size: 10_000,
          sort: [{ "@timestamp": "asc" }],
          track_total_hits: false,
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        const hits = result.hits.hits;
        if (hits.length === 0) break;
        const first = Number(hits[0]?.sort?.[0]);
        expect(first).toBeGreaterThan(previous);
        previous = Number(hits.at(-1)?.sort?.[0]);
        seen += hits.length;
        searchAfter = hits.at(-1)?.sort;
      }
      expect(seen).toBe(200_000);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
