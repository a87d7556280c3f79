import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { findNamespaceVersions } from "@/lib/db/versions";
import type { Db } from "@/lib/db/client";
import { elasticsearchSourceOf, fileSourceOf } from "@/lib/es";
import { getIncident } from "@/lib/incidents/list";
import type { Actor } from "@/lib/roles";
import { investigateSample } from "./first-start";
import { planBatch, runBatch } from "./batch";
import { generateDays, labelsOf, planDataSet, serializeDocument } from "@/lib/synthetic/generate";
import { batchFolder, writeByUtcDate } from "@/test/support/completeness";
import { DEFAULT_MAPPINGS, startFakeElasticsearch, type FakeElasticsearch } from "@/test/support/fake-elasticsearch";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// The namespaces' version timelines after `batch` alone (no tracking, no investigation), from
// files and from Elasticsearch: every document ingestion counts dates its version, so each
// release is first seen when the generator released it, not at the first peak window
// investigated later.

const config = loadConfig(path.resolve("values.yaml"));
const plan = planDataSet({
  seed: 3,
  from: "2026-01-05",
  days: 14,
  timeZone: config.timezone,
  windowMinutes: config.window_minutes,
  namespaces: 3,
  rate: 0.3,
  releases: true,
});
const documents = [...generateDays(plan)].flatMap((day) => day.documents);
const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-version-timeline-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeAll(() => writeByUtcDate(folder, documents));

const errorLevels = new Set(config.source.error_levels.map((level) => level.toUpperCase()));

/** A namespace's versions with the first and last error document of each, as generated. */
function generatedTimeline(namespace: string) {
  const seen = new Map<string, { firstSeenMs: number; lastSeenMs: number }>();
  for (const document of documents) {
    if (document.namespace !== namespace || document.version === null || !errorLevels.has(document.level.toUpperCase())) continue;
    const entry = seen.get(document.version);
    if (!entry) seen.set(document.version, { firstSeenMs: document.timestamp, lastSeenMs: document.timestamp });
    else {
      entry.firstSeenMs = Math.min(entry.firstSeenMs, document.timestamp);
      entry.lastSeenMs = Math.max(entry.lastSeenMs, document.timestamp);
    }
  }
  return seen;
}

const releases = plan.releases!.releases;
const namespaces = [...new Set(releases.map((release) => release.namespace))];
const splitDay = plan.grid.localDateOf(plan.detectionFromMs);

/** Each namespace's timeline holds its labelled releases, each first and last seen at its first and last error document. */
async function expectReleasesDated(db: Db) {
  expect(namespaces.length).toBeGreaterThanOrEqual(2);
  for (const namespace of namespaces) {
    const timeline = await findNamespaceVersions(db, namespace);
    const labelled = releases.filter((release) => release.namespace === namespace);
    expect(timeline.map((entry) => entry.version)).toEqual(labelled.map((release) => release.version));
    const generated = generatedTimeline(namespace);
    for (const [index, release] of labelled.entries()) {
      const entry = timeline[index]!;
      expect(entry).toMatchObject(generated.get(release.version)!);
      // Dated, not counted: ingestion leaves a version's errors to the counted windows, and says so.
      expect(entry.errors).toBeNull();
      if (index === 0) continue;
      expect(entry.firstSeenMs).toBeGreaterThanOrEqual(release.at);
      // The namespace logs errors every few minutes: its new version shows within the hour.
      expect(entry.firstSeenMs - release.at).toBeLessThan(3_600_000);
      expect(timeline[index - 1]!.lastSeenMs).toBeLessThan(release.at);
    }
  }
}

describe.each(databaseKinds)("version timelines after batch alone on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    await batchFolder(db(), config, folder, { phase: "all", splitDay });
  }, 240_000);

  it("dates every labelled release from the documents read: first seen at or just after it, the previous version last seen before it", async () => {
    await expectReleasesDated(db());
  });

  it("keeps the timeline as it was when the same days are ingested again (--force)", async () => {
    const before = await Promise.all(namespaces.map((namespace) => findNamespaceVersions(db(), namespace)));
    await batchFolder(db(), config, folder, { phase: "all", splitDay, force: true });
    expect(await Promise.all(namespaces.map((namespace) => findNamespaceVersions(db(), namespace)))).toEqual(before);
  }, 240_000);

  it("counts a version's errors once a window of it is counted, keeping the dates ingestion read", async () => {
    const before = new Map(
      (await Promise.all(namespaces.map((namespace) => findNamespaceVersions(db(), namespace)))).flat().map((entry) => [entry.version, entry]),
    );
    const source = fileSourceOf(config, [folder]);
    try {
      await investigateSample(db(), config, source);
    } finally {
      await source.close();
    }
    const after = (await Promise.all(namespaces.map((namespace) => findNamespaceVersions(db(), namespace)))).flat();
    const counted = after.filter((entry) => entry.errors !== null);
    expect(counted.length).toBeGreaterThan(0);
    for (const entry of counted) expect(entry.errors).toBeGreaterThan(0);
    for (const entry of after) expect(entry.firstSeenMs).toBe(before.get(entry.version)?.firstSeenMs);
  }, 240_000);

  it("calls no version new when the timeline only saw peak windows (its history before the release unknown)", async () => {
    // As before ingestion dated versions: the timelines only from the peak windows investigated.
    await db().kysely.deleteFrom("namespace_versions").execute();
    const source = fileSourceOf(config, [folder]);
    try {
      await investigateSample(db(), config, source);
    } finally {
      await source.close();
    }
    const labels = labelsOf(plan);
    const introduced = labels.release_errors!.find((error) => error.kind === "introduced")!;
    const label = labels.incidents.find((incident) => incident.id === introduced.incidents!.at(-1))!;
    const stored = await db().prisma.incident.findMany({
      where: { namespace: label.namespace, startedAt: { lt: new Date(label.end) }, lastWindowAt: { gte: new Date(label.start) } },
      select: { id: true },
    });
    expect(stored).toHaveLength(1);
    const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
    const detail = await getIncident(db(), viewer, stored[0]!.id, {
      links: { template: null, windowMinutes: config.window_minutes },
      now: new Date(plan.toMs),
    });
    // Its errors are still all of the new version, first seen at the incident itself...
    expect(detail.versions!.versions.filter((row) => row.errors > 0).map((row) => row.version)).toEqual([introduced.versions[0]]);
    // ...but the previous version was last seen in a peak hours before: when the release came is unknown.
    expect(detail.versions!.findings.filter((finding) => finding.kind === "new_release")).toEqual([]);
  }, 240_000);
});

describe("version timelines after batch from Elasticsearch alone", () => {
  let server: FakeElasticsearch;
  beforeAll(async () => {
    server = await startFakeElasticsearch({ mappings: { ...DEFAULT_MAPPINGS, "service.version": "keyword" } });
    // The generated documents as Elasticsearch holds them: UTC timestamps, sources without hit wrappers.
    const stored = documents.map(
      (document) =>
        JSON.parse(serializeDocument({ ...document, timestampText: new Date(document.timestamp).toISOString(), hit: null })) as Record<string, unknown>,
    );
    server.index("logs-app", stored);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  describe.each(databaseKinds)("on %s", (kind: DatabaseKind) => {
    const db = useMigratedDatabase(kind);

    beforeAll(async () => {
      const source = elasticsearchSourceOf(config, { url: server.url, rejectUnauthorized: true, requestTimeoutMs: 10_000 });
      try {
        const days = await planBatch(db(), config, { input: { fromDay: plan.days[0]!, toDay: plan.days.at(-1)! }, phase: "all", splitDay });
        await runBatch(db(), config, days, () => {}, source);
      } finally {
        await source.close();
      }
    }, 240_000);

    it("dates every labelled release as batch from files does, from the aggregations of the days counted", async () => {
      await expectReleasesDated(db());
      expect(server.openPitCount()).toBe(0);
    });
  });
});
