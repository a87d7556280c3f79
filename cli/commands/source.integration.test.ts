import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { startFakeElasticsearch, type FakeElasticsearch } from "@/test/support/fake-elasticsearch";
import { dayDocuments, fourWeeksWithIncident } from "@/test/support/log-files";
import { runCli } from "@/test/support/run-cli";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// The reading commands with Elasticsearch as the source (ES_URL set), run as child processes
// against a local server speaking the used subset of the REST API.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const { namespaces, days, incidentStart, plan } = fourWeeksWithIncident(grid);

let server: FakeElasticsearch;
beforeAll(async () => {
  server = await startFakeElasticsearch({ auth: { username: "reader", password: "s3cret" } });
  const documents: Record<string, unknown>[] = [];
  for (const day of days) for (const line of dayDocuments(grid, day, namespaces, plan)) documents.push(JSON.parse(line) as Record<string, unknown>);
  server.index("logs-app", documents);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const TIMEOUT = 180_000;

describe.each(databaseKinds)("reading Elasticsearch from the command line on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  // The server starts in beforeAll, so its address is read when a test runs.
  const elasticsearch = () => ({ ES_URL: server.url, ES_USERNAME: "reader", ES_PASSWORD: "s3cret" });
  const peaks = (...args: string[]) => runCli(db().target, args, elasticsearch());

  it(
    "checks the connection and the mapping",
    async () => {
      const result = await peaks("source", "check");
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Elasticsearch 8.15.3 at http://127.0.0.1:");
      expect(result.stdout).toContain('Index pattern "logs-*": 1 indices (logs-app)');
      // The local server maps no version field: counting cannot date versions, and says so.
      expect(result.stdout).toContain(
        "Queries use: timestamp @timestamp, namespace kubernetes.namespace, level level, version (none: versions are not dated at ingestion)",
      );
    },
    TIMEOUT,
  );

  it(
    "batch-ingests every day from Elasticsearch and finds the incident",
    async () => {
      const result = await peaks("batch", "--all", "--from", days[0]!, "--to", days.at(-1)!);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Ingested ${days.length} days`);
      // Every window but the data's first and last, whose start or end no document proves.
      expect(await db().prisma.peakRawData.count()).toBe((days.length * 96 - 2) * namespaces.length);
      const peakTimes = (await db().prisma.peakInvestigation.findMany({ where: { namespace: "payments" }, orderBy: { timestamp: "asc" } })).map((peak) =>
        peak.timestamp.getTime(),
      );
      expect(peakTimes[0]).toBe(incidentStart);
      expect(await db().prisma.peakInvestigation.count({ where: { namespace: "orders" } })).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "summarises a period",
    async () => {
      const result = await peaks("analyze-period", "--from", "2026-01-29", "--to", "2026-01-29", "--top", "3", "--format", "json");
      expect(result.code, result.stderr).toBe(0);
      const analysis = JSON.parse(result.stdout) as {
        errors: number;
        namespaces: { namespace: string; errors: number }[];
        busiestWindows: { start: number; namespace: string; count: number }[];
        patterns: { template: string }[];
      };
      const { startMs, endMs } = grid.localDayRange("2026-01-29");
      let expected = 0;
      for (const start of grid.windowsBetween(startMs, endMs)) for (const namespace of namespaces) expected += plan(namespace, start);
      expect(analysis.errors).toBe(expected);
      expect(analysis.busiestWindows[0]).toEqual({ start: incidentStart, namespace: "payments", count: 400 });
      expect(analysis.patterns[0]!.template).toBe("Request <*> failed: connection refused to <*>");
    },
    TIMEOUT,
  );

  it(
    "fails with exit 9 and stores nothing when Elasticsearch is unreachable",
    async () => {
      const before = await db().prisma.peakRawData.count();
      const result = await runCli(db().target, ["ingest", "--from", "2026-02-02", "--to", "2026-02-02"], { ...elasticsearch(), ES_URL: "http://127.0.0.1:9" });
      expect(result.code).toBe(9);
      expect(result.stderr).toContain("Error: Could not count the errors of 2026-02-02 00:00–2026-02-03 00:00 Europe/Prague");
      expect(await db().prisma.peakRawData.count()).toBe(before);
    },
    TIMEOUT,
  );

  it(
    "fails with exit 7 on wrong credentials",
    async () => {
      const result = await runCli(db().target, ["analyze-period", "--from", "2026-01-29"], { ...elasticsearch(), ES_PASSWORD: "wrong" });
      expect(result.code).toBe(7);
      expect(result.stderr).toContain("refused the credentials (401");
    },
    TIMEOUT,
  );
});
