import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { createRun, findRun, findWatermark } from "@/lib/db/pipeline-runs";
import { tryAcquireLock } from "@/lib/db/run-lock";
import { ConflictError } from "@/lib/errors";
import { generatedElasticsearchSuite } from "@/test/support/generated-elasticsearch";
import { chatCompletion, startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";
import { ingest } from "./ingest";
import { runPipeline, startPipelineRun, type PipelineRunReport } from "./pipeline";
import type { PipelineServices } from "@/lib/services/notifiers";
import { WINDOWS_LOCK } from "./run-lock";

// The 9-step run end to end: generated data with labelled incidents in a local Elasticsearch,
// Teams and an AI endpoint as real HTTP servers on 127.0.0.1, on both databases.

const DAY_MS = 86_400_000;
const defaults = loadConfig(path.resolve("values.yaml"));
// Fewer documents per window keep the suite quick; every code path is the same.
const config = {
  ...defaults,
  source: { ...defaults.source, max_documents_per_window: 200 },
  investigation: { ...defaults.investigation, usual_hours: 4, usual_sample_per_window: 10 },
};
const grid = gridOf(config);
const windowMs = config.window_minutes * 60_000;
const { data, source: elasticsearch } = generatedElasticsearchSuite(config);
const settled = config.pipeline.settle_seconds * 1000 + 5_000;
/** The end of detection: the last scheduled run, after a long pause. */
const lastNow = data.detection.toMs + settled;
const namespaces = data.plan.namespaces.length;
/** Where the runs' processing ends: the last window that ends before the data's newest document. */
const dataEnd = data.detection.toMs - windowMs;

let teams: HttpStub;
let ai: HttpStub;
beforeAll(async () => {
  [teams, ai] = await Promise.all([startHttpStub(), startHttpStub()]);
});
afterAll(async () => {
  await Promise.all([teams.close(), ai.close()]);
});

function services(): PipelineServices {
  return {
    teams: {
      status: "on",
      notifyKnownIssues: true,
      settings: { webhookUrl: `${teams.url}/workflows/invoke?sig=SECRET`, attempts: 3, initialBackoffMs: 1, sleep: async () => {} },
    },
    ai: {
      status: "on",
      settings: {
        baseUrl: `${ai.url}/v1`,
        model: "test-model",
        timeoutMs: 5_000,
        maxOutputTokens: 300,
        timeZone: config.timezone,
        windowMinutes: config.window_minutes,
      },
    },
  };
}

function asReport(outcome: Awaited<ReturnType<typeof runPipeline>>): PipelineRunReport {
  if (outcome.status === "up_to_date") throw new Error(`expected a run, got: ${outcome.message}`);
  return outcome;
}

async function tableCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<
    { name: string }[]
  >`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${name}"`);
    counts[name] = Number(rows[0]!.count);
  }
  return counts;
}

async function windowsIn(prisma: PrismaClient, range: { fromMs: number; toMs: number }) {
  const rows = await prisma.$queryRaw<{ windows: bigint; distinct_windows: bigint; errors: bigint | null }[]>`
    SELECT count(*) AS windows, count(DISTINCT (timestamp, namespace)) AS distinct_windows, sum(error_count) AS errors
      FROM peak_raw_data WHERE timestamp >= ${new Date(range.fromMs)} AND timestamp < ${new Date(range.toMs)}`;
  return { windows: Number(rows[0]!.windows), distinct: Number(rows[0]!.distinct_windows), errors: Number(rows[0]!.errors ?? 0) };
}

/** The pid of a process that has exited: a run killed on this host. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe.each(databaseKinds)("pipeline run on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  let dryRun: PipelineRunReport;
  /** The first detection day with a peak: a killed run had processed it. */
  let killedRange: { fromMs: number; toMs: number };
  /** A scheduled run the day after it. */
  let firstNow: number;
  let killedRunPeaks = 0;

  beforeAll(async () => {
    await ingest(db(), config, { source: elasticsearch(), mode: "init", range: data.learning });
  });

  it("writes and sends nothing in a dry run, and reports what it would do", async () => {
    const before = await tableCounts(db().prisma);
    teams.answerWith([{ status: 202 }]);
    ai.answerWith([{ status: 200, json: chatCompletion("{}") }]);
    dryRun = asReport(
      await runPipeline(db(), config, {
        trigger: "cli",
        range: data.detection,
        isDryRun: true,
        source: elasticsearch(),
        services: services(),
        now: () => new Date(lastNow),
      }),
    );
    expect(dryRun.status).toBe("succeeded");
    expect(dryRun.runId).toBeNull();
    // The data's newest document lies inside the last window: nothing proves that window complete,
    // so it waits for data (a later run) instead of being stored with a partial count.
    expect(dryRun.details.ingest!.windows.stored).toBe((grid.windowsBetween(data.detection.fromMs, data.detection.toMs).length - 1) * namespaces);
    expect(dryRun.processedTo).toBe(dataEnd);
    expect(dryRun.findings.waiting).toMatch(/^waiting for data: the source ends at /);
    expect(dryRun.details.ingest!.detected.length).toBeGreaterThan(0);
    expect(dryRun.details.notifications.wouldSend).toBe(0); // The peaks a dry run finds are not stored, so there is nothing to announce yet.
    expect(await tableCounts(db().prisma)).toEqual(before);
    expect(teams.requests).toEqual([]);
    expect(ai.requests).toEqual([]);

    const firstPeak = dryRun.details.ingest!.detected[0]!;
    killedRange = { fromMs: data.detection.fromMs, toMs: grid.localDayRange(grid.localDateOf(firstPeak.start)).endMs };
    firstNow = killedRange.toMs + DAY_MS + settled;
    expect(firstNow).toBeLessThan(data.detection.toMs);
  }, 120_000);

  it("fails the run and moves nothing when Elasticsearch is unreachable: no zero counts, watermark unchanged", async () => {
    const watermark = await findWatermark(db(), windowMs);
    const unreachable = elasticsearch({ url: "http://127.0.0.1:9", retry: { attempts: 2, initialBackoffMs: 1, maxBackoffMs: 2 } });
    const report = asReport(await runPipeline(db(), config, { trigger: "cron", source: unreachable, services: services(), now: () => new Date(firstNow) }));
    expect(report.status).toBe("failed");
    expect(report.errorCode).toBe("unavailable");
    expect(report.error).toContain(config.timezone);
    expect(report.steps.map((step) => step.status)).toEqual(["failed", ...Array(8).fill("skipped")]);
    const stored = await findRun(db(), report.runId!);
    expect(stored).toMatchObject({ status: "failed", error: report.error, documentsSeen: 0 });
    expect(stored!.finishedAt).not.toBeNull();
    expect(await windowsIn(db().prisma, data.detection)).toMatchObject({ windows: 0 });
    expect(await db().prisma.pipelineLock.count()).toBe(0);
    // Before any success the next run starts where this one started.
    expect((await findWatermark(db(), windowMs))!.atMs).toBe(watermark!.atMs);
  }, 180_000);

  it("takes over from a killed run at once and processes its range again: no duplicates, no gaps", async () => {
    const database = db();
    const { prisma } = database;
    // The killed run had stored its first day's windows and peaks (step 4), then died holding the lock.
    const killedPid = deadPid();
    const held = await tryAcquireLock(
      prisma,
      WINDOWS_LOCK,
      { holder: "pipeline run (cron)", host: os.hostname(), pid: killedPid },
      { leaseMs: 3_600_000, now: new Date(), isProcessAlive: () => true },
    );
    expect(held.acquired).toBe(true);
    const killedRunId = await createRun(database, {
      trigger: "cron",
      range: killedRange,
      source: "killed",
      isAnalysisSkipped: false,
      advancesWatermark: true,
      startedById: null,
      steps: [],
      startedAt: new Date(),
    });
    killedRunPeaks = (await ingest(database, config, { source: elasticsearch(), mode: "detect", range: killedRange })).detected.length;

    teams.answerWith([{ status: 500, text: "transient" }, { status: 202 }]);
    ai.answerWith([{ status: 200, json: chatCompletion('{"summary": "Deadlocks on the ledger table", "next_steps": ["Check the ledger database"]}') }]);
    const report = asReport(
      await runPipeline(database, config, { trigger: "cron", source: elasticsearch(), services: services(), now: () => new Date(firstNow) }),
    );
    expect(report.status, report.error ?? "").toBe("succeeded");
    expect(report.range).toEqual({ fromMs: data.detection.fromMs, toMs: killedRange.toMs + DAY_MS });
    expect(report.steps.every((step) => step.status === "succeeded" && step.durationMs !== null)).toBe(true);
    expect(await findRun(database, killedRunId)).toMatchObject({ status: "failed" });
    expect((await findRun(database, killedRunId))!.error).toContain(`pid ${killedPid}`);

    const windows = await windowsIn(prisma, report.range);
    expect(windows.windows).toBe(grid.windowsBetween(report.range.fromMs, report.range.toMs).length * namespaces);
    expect(windows.distinct).toBe(windows.windows);
    expect(report.totals.documentsSeen).toBe(windows.errors);
    const peaks = await prisma.peakInvestigation.findMany({ where: { timestamp: { gte: new Date(report.range.fromMs), lt: new Date(report.range.toMs) } } });
    expect(peaks.length).toBeGreaterThan(0);
    expect(peaks.filter((peak) => peak.timestamp.getTime() < killedRange.toMs).length).toBeGreaterThan(0);
    expect(peaks.every((peak) => peak.enrichedAt !== null && peak.aiSummary === "Deadlocks on the ledger table")).toBe(true);
    expect(peaks.every((peak) => peak.aiNextSteps.join() === "Check the ledger database" && peak.aiError === null)).toBe(true);
  }, 180_000);

  it("catches up after a pause, sends each incident exactly once (500 then 202: one message) and then is up to date", async () => {
    const database = db();
    const { prisma } = database;
    teams.answerWith([{ status: 202 }]);
    const report = asReport(
      await runPipeline(database, config, { trigger: "cron", skipAnalysis: true, source: elasticsearch(), services: services(), now: () => new Date(lastNow) }),
    );
    expect(report.status, report.error ?? "").toBe("succeeded");
    expect(report.range).toEqual({ fromMs: killedRange.toMs + DAY_MS, toMs: data.detection.toMs });
    expect(report.steps.map((step) => step.status)).toEqual([
      "succeeded",
      "skipped",
      "skipped",
      "succeeded",
      "succeeded",
      "succeeded",
      "skipped",
      "succeeded",
      "succeeded",
    ]);

    const windows = await windowsIn(prisma, data.detection);
    expect(windows.windows).toBe((grid.windowsBetween(data.detection.fromMs, data.detection.toMs).length - 1) * namespaces);
    expect(windows.distinct).toBe(windows.windows);
    const peaks = await prisma.peakInvestigation.findMany({ include: { continuesPeak: true }, orderBy: { timestamp: "asc" } });
    // The runs found exactly what the dry run over the same range said they would.
    expect(peaks.map((peak) => `${peak.namespace} ${peak.timestamp.getTime()}`).sort()).toEqual(
      dryRun.details.ingest!.detected.map((peak) => `${peak.namespace} ${peak.start}`).sort(),
    );
    // One announcement per stored incident (another when it was reopened), and resolutions only of resolved incidents.
    const storedIncidents = await prisma.incident.findMany({ select: { id: true, status: true, reopenCount: true } });
    expect(storedIncidents.length).toBeGreaterThan(0);
    expect(peaks.every((peak) => peak.incidentId !== null)).toBe(true);
    const deliveries = await prisma.notificationDelivery.findMany();
    const keys = deliveries.map((delivery) => delivery.dedupeKey);
    expect(keys.filter((key) => /^teams:incident:\d+$/.test(key)).sort()).toEqual(storedIncidents.map((incident) => `teams:incident:${incident.id}`).sort());
    const resolutionKeys = keys.filter((key) => key.includes(":resolved:"));
    for (const key of resolutionKeys) {
      expect(storedIncidents.find((incident) => key === `teams:incident:${incident.id}:resolved:${incident.reopenCount}`)?.status).toBe("resolved");
    }
    const reopenedKeys = keys.filter((key) => key.includes(":reopened:"));
    expect(keys).toHaveLength(storedIncidents.length + resolutionKeys.length + reopenedKeys.length);
    expect(deliveries.every((delivery) => delivery.status === "sent")).toBe(true);
    // The first message was answered 500 and sent again: two attempts, one delivery.
    expect(deliveries.filter((delivery) => delivery.attempts === 2)).toHaveLength(1);
    const runs = await prisma.pipelineRun.findMany({ where: { status: "succeeded" } });
    expect(runs.reduce((sum, run) => sum + run.notificationsSent, 0)).toBe(deliveries.length);
    expect(runs.reduce((sum, run) => sum + run.peaksFound, 0) + killedRunPeaks).toBe(peaks.length);

    // The last window still waits for data: a run re-counts the recent hours, stores nothing new and says why.
    const again = asReport(
      await runPipeline(database, config, { trigger: "cron", source: elasticsearch(), services: services(), now: () => new Date(lastNow) }),
    );
    expect(again.status).toBe("succeeded");
    expect(again.processedTo).toBe(dataEnd);
    expect(again.findings.waiting).toMatch(/^waiting for data/);
    expect(again.details.ingest).toMatchObject({ windows: { stored: 0, corrected: 0 } });
    expect((await findWatermark(database, windowMs))!.atMs).toBe(dataEnd);
  }, 180_000);

  it("changes nothing and sends nothing when a processed range is run again", async () => {
    const database = db();
    const { prisma } = database;
    const patternsBefore = await prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" }, select: { patternHash: true, occurrences: true } });
    const peaksBefore = await prisma.peakInvestigation.findMany({
      orderBy: { id: "asc" },
      select: { id: true, rootCause: true, knownIssueId: true, aiSummary: true },
    });
    teams.answerWith([{ status: 202 }]);
    ai.answerWith([{ status: 200, json: chatCompletion("{}") }]);
    const report = asReport(
      await runPipeline(database, config, {
        trigger: "cli",
        range: data.detection,
        skipAnalysis: true,
        source: elasticsearch(),
        services: services(),
        now: () => new Date(lastNow),
      }),
    );
    expect(report.status).toBe("succeeded");
    expect(report.details.ingest).toMatchObject({ windows: { stored: 0 }, peaks: { new: 0, continuing: 0 } });
    expect(report.details.notifications.sent).toBe(0);
    expect(report.details.notifications.alreadySent).toBeGreaterThan(0);
    expect(teams.requests).toEqual([]);
    expect(ai.requests).toEqual([]);
    expect(await prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" }, select: { patternHash: true, occurrences: true } })).toEqual(patternsBefore);
    expect(
      await prisma.peakInvestigation.findMany({ orderBy: { id: "asc" }, select: { id: true, rootCause: true, knownIssueId: true, aiSummary: true } }),
    ).toEqual(peaksBefore);
    // Nor would a dry run send anything: every incident's message is out already.
    const dry = asReport(
      await runPipeline(database, config, {
        trigger: "cli",
        range: data.detection,
        skipAnalysis: true,
        isDryRun: true,
        source: elasticsearch(),
        services: services(),
        now: () => new Date(lastNow),
      }),
    );
    expect(dry.details.notifications).toMatchObject({ wouldSend: 0, alreadySent: report.details.notifications.alreadySent });
    // A re-run of an old range does not move the watermark.
    expect((await findWatermark(database, windowMs))!.atMs).toBe(dataEnd);
  }, 180_000);

  it("refuses a second run while one holds the lock, naming it, and lets it start afterwards", async () => {
    const database = db();
    const { prisma } = database;
    const first = await startPipelineRun(database, config, {
      trigger: "api",
      range: killedRange,
      skipAnalysis: true,
      source: elasticsearch(),
      services: services(),
      now: () => new Date(lastNow),
    });
    if (first.status !== "started") throw new Error("the first run should start");
    const second = startPipelineRun(database, config, {
      trigger: "cron",
      source: elasticsearch(),
      services: services(),
      now: () => new Date(lastNow + windowMs),
    });
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow(`run #${first.run.runId}`);
    expect(await prisma.pipelineRun.count({ where: { status: "running" } })).toBe(1);
    expect((await first.run.execute()).status).toBe("succeeded");
    const third = await runPipeline(database, config, {
      trigger: "cron",
      skipAnalysis: true,
      source: elasticsearch(),
      services: services(),
      now: () => new Date(lastNow + windowMs),
    });
    expect(third.status).not.toBe("failed");
  }, 180_000);
});
