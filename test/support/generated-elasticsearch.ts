import { afterAll, beforeAll } from "vitest";
import type { FrozenConfig } from "@/lib/config";
import { createElasticsearchClient } from "@/lib/es/client";
import { createElasticsearchSource, type ElasticsearchSourceOptions } from "@/lib/es/elasticsearch-source";
import { createWindowGrid } from "@/lib/pipeline/time";
import { startFakeElasticsearch, type FakeElasticsearch, type FakeElasticsearchOptions } from "./fake-elasticsearch";
import { generatedDataSet, type GeneratedDataSet } from "./generated-documents";

export type GeneratedElasticsearch = {
  data: GeneratedDataSet;
  /** The running server (valid in tests and hooks). */
  server: () => FakeElasticsearch;
  /** A new Elasticsearch source on the server, with quick retries; options override the defaults. */
  source: (
    overrides?: Partial<ElasticsearchSourceOptions> & { apiKey?: string; url?: string; requestTimeoutMs?: number },
  ) => ReturnType<typeof createElasticsearchSource>;
};

/**
 * Registers hooks that start a local Elasticsearch holding the project's generated four-week
 * data set (in one index, or split as `index` says) and stop it afterwards.
 */
export function generatedElasticsearchSuite(
  config: FrozenConfig,
  options: { server?: FakeElasticsearchOptions; apiKey?: string; index?: (documents: Record<string, unknown>[], server: FakeElasticsearch) => void } = {},
): GeneratedElasticsearch {
  const grid = createWindowGrid(config.timezone, config.window_minutes);
  const data = generatedDataSet(grid);
  let running: FakeElasticsearch | undefined;
  beforeAll(async () => {
    running = await startFakeElasticsearch(options.server);
    if (options.index) options.index(data.documents, running);
    else running.index("logs-app", data.documents);
  }, 120_000);
  afterAll(async () => {
    await running?.close();
  });
  const server = () => {
    if (!running) throw new Error("The local Elasticsearch starts in beforeAll; use it inside tests and hooks only");
    return running;
  };
  return {
    data,
    server,
    source: (overrides = {}) => {
      const { apiKey = options.apiKey, url = server().url, requestTimeoutMs = 10_000, ...rest } = overrides;
      return createElasticsearchSource(createElasticsearchClient({ url, ...(apiKey ? { apiKey } : {}), rejectUnauthorized: true, requestTimeoutMs }), {
        indexPattern: "logs-*",
        fields: config.source.fields,
        errorLevels: config.source.error_levels,
        grid,
        pageSize: 1000,
        aggregationPageSize: 1000,
        pointInTimeKeepAlive: "1m",
        retry: { attempts: 3, initialBackoffMs: 1, maxBackoffMs: 5 },
        place: url,
        ...rest,
      });
    },
  };
}
