import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import type { Db, PrismaClient } from "@/lib/db/client";
import { findWatermark } from "@/lib/db/pipeline-runs";
import { generatedElasticsearchSuite } from "@/test/support/generated-elasticsearch";
import { startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";
import { ingest } from "./ingest";
import { runPipeline, type PipelineRunReport } from "./pipeline";
import type { PipelineServices } from "@/lib/services/notifiers";

// Freshness end to end on a local Elasticsearch that receives its documents over time, as a
// shipper delivers them: a run stops where the data stops; late documents are re-counted and
// corrected exactly; a stale source and a silent namespace each announce themselves once and
// their recovery once.

const HOUR = 3_600_000;
const MINUTE = 60_000;
const defaults = loadConfig(path.resolve("values.yaml"));
// Two hours of quiet windows, so that the generated namespaces' usual rates expect enough errors.
const config: FrozenConfig = {
  ...defaults,
  source: { ...defaults.source, max_documents_per_window: 100 },
  investigation: { ...defaults.investigation, usual_hours: 2, usual_sample_per_window: 5 },
  pipeline: { ...defaults.pipeline, silent_namespace_windows: 8 },
};
const grid = gridOf(config);
const timeOf = (document: Record<string, unknown>) => Date.parse(String(document["@timestamp"]));
const namespaceOf = (document: Record<string, unknown>) => (document.kubernetes as { namespace: string }).namespace;

let teams: HttpStub;
beforeAll(async () => {
  teams = await startHttpStub();
});
afterAll(async () => {
  await teams.close();
});

function services(): PipelineServices {
  return {
    teams: { status: "on", notifyKnownIssues: true, settings: { webhookUrl: `${teams.url}/hook`, attempts: 1, initialBackoffMs: 1, sleep: async () => {} } },
    ai: { status: "off", reason: "not in this test" },
  };
}

const gapMessages = () =>
  teams.requests
    .map((request) => request.text)
    .filter((text) => text.includes("Data gap"))
    .map((text) => /"text":"(Data gap[^"]*)"/.exec(text)?.[1]);

async function dump(prisma: PrismaClient, untilMs: number) {
  const [windows, slots, peaks] = await Promise.all([
    prisma.peakRawData.findMany({
      where: { timestamp: { lt: new Date(untilMs) } },
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      select: { timestamp: true, namespace: true, errorCount: true, isPeak: true, baselineValue: true },
    }),
    prisma.aggregationData.findMany({
      orderBy: [{ namespace: "asc" }, { dayOfWeek: "asc" }, { hourOfDay: "asc" }, { quarterHour: "asc" }],
      select: { namespace: true, dayOfWeek: true, hourOfDay: true, quarterHour: true, samples: true, mean: true, m2: true },
    }),
    prisma.peakInvestigation.findMany({
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      select: { timestamp: true, namespace: true, severity: true, errorCount: true, ratio: true, continuesPeak: { select: { timestamp: true } } },
    }),
  ]);
  return { windows, slots: slots.map((slot) => ({ ...slot, mean: Number(slot.mean.toPrecision(10)), m2: Number(slot.m2.toPrecision(8)) })), peaks };
}

describe.each(databaseKinds)("freshness on %s", (kind: DatabaseKind) => {
  // The documents arrive in deliveries, as a shipper sends them; the first is indexed when the server starts.
  let incident: { namespace: string; start: number };
  let late: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = [];
  const { data, server, source } = generatedElasticsearchSuite(config, {
    index: (documents, running) => {
      // The detection-period incident with the most errors in its first window: surely a peak once complete.
      const firstWindowErrors = (start: number) =>
        documents.filter((document) => timeOf(document) >= start && timeOf(document) < start + 15 * MINUTE && document.level === "ERROR").length;
      incident = data.plan.incidents
        .filter((candidate) => candidate.start > data.detection.fromMs + 6 * HOUR && candidate.start < data.detection.toMs - 12 * HOUR)
        .map((candidate) => ({ ...candidate, errors: firstWindowErrors(candidate.start) }))
        .sort((left, right) => right.errors - left.errors)[0]!;
      const cut = incident.start + 20 * MINUTE;
      // All but one in twenty documents of the incident's first window arrive late, with the next delivery.
      const isLate = (document: Record<string, unknown>, position: number) =>
        timeOf(document) >= incident.start && timeOf(document) < incident.start + 15 * MINUTE && position % 20 !== 0;
      const first: Record<string, unknown>[] = [];
      documents.forEach((document, position) => {
        if (timeOf(document) >= cut) pending.push(document);
        else if (isLate(document, position)) late.push(document);
        else first.push(document);
      });
      running.index("logs-app", first);
    },
  });

  /** Indexes the pending documents up to an instant (some left out), and the late ones, as the next delivery. */
  function deliverUntil(untilMs: number, leaveOut?: (document: Record<string, unknown>) => boolean): void {
    const due = pending.filter((document) => timeOf(document) < untilMs);
    pending = pending.filter((document) => timeOf(document) >= untilMs);
    server().index("logs-app", [...late, ...due.filter((document) => !leaveOut?.(document))]);
    late = [];
  }

  async function runAt(db: Db, nowMs: number): Promise<PipelineRunReport> {
    const outcome = await runPipeline(db, config, {
      trigger: "cron",
      skipAnalysis: true,
      source: source(),
      services: services(),
      now: () => new Date(nowMs),
    });
    if (outcome.status === "up_to_date") throw new Error(`expected a run, got: ${outcome.message}`);
    expect(outcome.status, outcome.error ?? "").toBe("succeeded");
    return outcome;
  }

  const db = useMigratedDatabase(kind);
  const clean = useMigratedDatabase(kind);
  let processedTo = 0;

  beforeAll(async () => {
    await ingest(db(), config, { source: source(), mode: "init", range: data.learning });
  }, 180_000);

  it("processes up to the source's newest document, 30 min behind, and waits for the rest", async () => {
    const newest = incident.start + 20 * MINUTE;
    const report = await runAt(db(), newest + 30 * MINUTE);
    processedTo = report.processedTo;
    // The newest document less settle_seconds, on the grid: the window it falls in waits.
    expect(processedTo).toBe(grid.windowStartOf(newest - config.pipeline.settle_seconds * 1000));
    expect(report.findings.waiting).toMatch(/^waiting for data: the source ends at .*, 3\d min behind/);
    expect(report.findings.stale).toBeUndefined();
    expect(await db().prisma.peakRawData.count({ where: { timestamp: { gte: new Date(processedTo) } } })).toBe(0);
    expect((await findWatermark(db(), grid.windowMs))!.atMs).toBe(processedTo);
  }, 180_000);

  it("catches up when the documents arrive, correcting the window that late documents changed exactly as a clean ingestion would", async () => {
    const until = incident.start + 3 * HOUR;
    deliverUntil(until);
    const report = await runAt(db(), until + 2 * MINUTE);
    expect(report.processedTo).toBeGreaterThan(processedTo);
    processedTo = report.processedTo;
    expect(report.findings.corrected).toBeGreaterThanOrEqual(1);
    const corrections = await db().prisma.windowCorrection.findMany({ where: { namespace: incident.namespace, timestamp: new Date(incident.start) } });
    expect(corrections).toEqual([expect.objectContaining({ reason: "recount", wasPeak: false, isPeak: true })]);
    expect(corrections[0]!.count).toBeGreaterThan(corrections[0]!.previousCount);

    // The same data, read once in full by a clean ingestion, stores the same.
    await ingest(clean(), config, { source: source(), mode: "init", range: data.learning });
    await ingest(clean(), config, { source: source(), mode: "detect", range: { fromMs: data.learning.toMs, toMs: processedTo } });
    expect(await dump(db().prisma, processedTo)).toEqual(await dump(clean().prisma, processedTo));
  }, 240_000);

  it("announces a stale source once, then its recovery once; and a silent namespace likewise", async () => {
    teams.answerWith([{ status: 202 }]);
    const lastData = processedTo + 15 * MINUTE;
    // No delivery for 50 minutes: stale; a second run says nothing new.
    const stale = await runAt(db(), lastData + 50 * MINUTE);
    expect(stale.findings.stale).toMatchObject({ threshold: 45 });
    await runAt(db(), lastData + 65 * MINUTE);
    expect(gapMessages()).toEqual(["Data gap: the log source is behind"]);
    expect(await db().prisma.dataGap.count({ where: { closedAt: null } })).toBe(1);

    // Documents arrive again, but the busiest namespace's errors stay away for three hours.
    const busiest = (await db().prisma.aggregationData.groupBy({ by: ["namespace"], _avg: { mean: true }, orderBy: { _avg: { mean: "desc" } } }))[0]!.namespace;
    const silenceFrom = processedTo;
    const until = silenceFrom + 3 * HOUR;
    deliverUntil(until, (document) => namespaceOf(document) === busiest && document.level === "ERROR" && timeOf(document) >= silenceFrom);
    const back = await runAt(db(), until + 2 * MINUTE);
    expect(back.findings.stale).toBeUndefined();
    expect(back.findings.silent?.map((entry) => entry.namespace)).toEqual([busiest]);
    expect(gapMessages()).toEqual(["Data gap: the log source is behind", "Data gap closed: Log source is back", `Data gap: ${busiest} went silent`]);

    // Its errors come back: the silence closes, once.
    deliverUntil(until + HOUR);
    await runAt(db(), until + HOUR + 2 * MINUTE);
    await runAt(db(), until + HOUR + 17 * MINUTE);
    expect(gapMessages()).toEqual([
      "Data gap: the log source is behind",
      "Data gap closed: Log source is back",
      `Data gap: ${busiest} went silent`,
      `Data gap closed: Namespace ${busiest} is back`,
    ]);
    expect(await db().prisma.dataGap.count({ where: { closedAt: null } })).toBe(0);
  }, 300_000);
});
