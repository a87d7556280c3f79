import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { Db, PrismaClient } from "@/lib/db/client";
import { fileSourceOf } from "@/lib/es";
import { UnavailableError } from "@/lib/errors";
import type { LogSource } from "@/lib/pipeline/log-document";
import { generatedElasticsearchSuite } from "@/test/support/generated-elasticsearch";
import { writeLines } from "@/test/support/log-files";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { ingest } from "./ingest";

// The same documents through the file source and through the Elasticsearch source (a local
// server speaking the used subset of its REST API) must store identical windows, baselines and peaks.

const config = loadConfig(path.resolve("values.yaml"));
const { data, server, source: elasticsearch } = generatedElasticsearchSuite(config);
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-source-parity-"));
const inputFile = path.join(workDir, "all.ndjson.gz");

beforeAll(async () => {
  await writeLines(
    inputFile,
    data.documents.map((document) => JSON.stringify(document)),
  );
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Everything ingestion writes, in a comparable form. */
async function dump(prisma: PrismaClient) {
  const [windows, slots, peaks] = await Promise.all([
    prisma.peakRawData.findMany({ orderBy: [{ namespace: "asc" }, { timestamp: "asc" }], omit: { id: true, ingestedAt: true } }),
    prisma.aggregationData.findMany({
      orderBy: [{ namespace: "asc" }, { dayOfWeek: "asc" }, { hourOfDay: "asc" }, { quarterHour: "asc" }],
      omit: { id: true, updatedAt: true },
    }),
    prisma.peakInvestigation.findMany({
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      omit: { id: true, detectedAt: true, updatedAt: true, continuesPeakId: true },
    }),
  ]);
  return { windows, slots, peaks };
}

async function ingestLearningThenDetection(db: Db, source: LogSource) {
  await ingest(db, config, { source, mode: "init", range: data.learning });
  return ingest(db, config, { source, mode: "detect", range: data.detection });
}

describe.each(databaseKinds)("the same documents from files and from Elasticsearch on %s", (kind: DatabaseKind) => {
  const fromFiles = useMigratedDatabase(kind);
  const fromServer = useMigratedDatabase(kind);

  it("store identical windows, baselines and peaks", async () => {
    const fileReport = await ingestLearningThenDetection(fromFiles(), fileSourceOf(config, [inputFile]));
    const serverReport = await ingestLearningThenDetection(fromServer(), elasticsearch());
    expect(serverReport.peaks).toEqual(fileReport.peaks);
    expect(serverReport.documents).toBe(fileReport.documents);
    expect(fileReport.peaks.new).toBeGreaterThan(0);
    const [expected, actual] = [await dump(fromFiles().prisma), await dump(fromServer().prisma)];
    // Every window but the data's edges, whose start or end no document proves, in both.
    expect(actual.windows.length).toBeGreaterThanOrEqual((data.plan.days.length * 96 - 2) * data.plan.namespaces.length);
    expect(actual).toEqual(expected);
    expect(server().openPitCount()).toBe(0);
  });

  it("stores nothing when Elasticsearch cannot be read", async () => {
    const before = await dump(fromServer().prisma);
    const nextDay = { fromMs: data.everything.toMs, toMs: data.everything.toMs + 86_400_000 };
    server().inject({ status: 503 }, { path: /_search/, times: 3 });
    const failure = await ingest(fromServer(), config, { source: elasticsearch(), mode: "detect", range: nextDay }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toMatch(/^Could not count the errors of 2026-02-02 00:00–2026-02-03 00:00 Europe\/Prague: .* answered 503/);
    expect(await dump(fromServer().prisma)).toEqual(before);
  });
});
