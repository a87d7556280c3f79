import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { releaseLock, tryAcquireLock } from "@/lib/db/run-lock";
import type { StoredStep } from "@/lib/runs/contract";
import { gridOf } from "@/lib/config/grid";
import { WINDOWS_LOCK } from "@/lib/jobs/run-lock";
import { startFakeElasticsearch, type FakeElasticsearch } from "@/test/support/fake-elasticsearch";
import { startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { dayDocuments, fourWeeksWithIncident } from "@/test/support/log-files";
import { runCli, startCli } from "@/test/support/run-cli";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// `peaks pipeline` as an operator runs it: child processes reading a local Elasticsearch and
// posting to a local Teams webhook, including a run killed midway and run again.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const { namespaces, days, incidentDay, plan } = fourWeeksWithIncident(grid);
const TIMEOUT = 240_000;

let server: FakeElasticsearch;
let teams: HttpStub;
let configDir: string;
beforeAll(async () => {
  server = await startFakeElasticsearch();
  const documents: Record<string, unknown>[] = [];
  for (const day of days) for (const line of dayDocuments(grid, day, namespaces, plan)) documents.push(JSON.parse(line) as Record<string, unknown>);
  server.index("logs-app", documents);
  teams = await startHttpStub();
  // values.yaml with Teams on and quick retries.
  configDir = mkdtempSync(path.join(os.tmpdir(), "peaks-pipeline-cli-"));
  const values = readFileSync(path.join(root, "values.yaml"), "utf8")
    .replace(/teams:\n    enabled: false/, "teams:\n    enabled: true")
    .replace(/initial_backoff_ms: 1000/, "initial_backoff_ms: 10")
    .replace(/initial_backoff_ms: 500\n(\s+)max_backoff_ms: 10000/, "initial_backoff_ms: 5\n$1max_backoff_ms: 20")
    // The data is from early 2026: kept, so that the runs' maintenance leaves it alone.
    .replace(/peak_raw_data: 30/, "peak_raw_data: null")
    .replace(/error_patterns: 90/, "error_patterns: null");
  expect(values).toContain("teams:\n    enabled: true");
  expect(values).toContain("max_backoff_ms: 20");
  writeFileSync(path.join(configDir, "values.yaml"), values);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await teams?.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe.each(databaseKinds)("peaks pipeline on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const environment = () => ({
    ES_URL: server.url,
    PEAKS_CONFIG: path.join(configDir, "values.yaml"),
    TEAMS_WEBHOOK_URL: `${teams.url}/workflows/invoke?sig=SECRET`,
  });
  const peaks = (...args: string[]) => runCli(db().target, args, environment());
  const incidentRange = ["--from", incidentDay, "--to", incidentDay];

  beforeAll(async () => {
    const learned = await peaks("ingest", "--init", "--from", days[0]!, "--to", "2026-01-28");
    expect(learned.code, learned.stderr).toBe(0);
  }, TIMEOUT);

  it(
    "refuses bad flags, and writes nothing in a dry run",
    async () => {
      teams.answerWith([{ status: 202 }]);
      const withoutFrom = await peaks("pipeline", "run", "--to", incidentDay);
      expect(withoutFrom.code).toBe(2);
      expect(withoutFrom.stderr).toContain("--to needs --from");
      expect((await peaks("pipeline", "run", "--frm", incidentDay)).code).toBe(2);

      const dry = await peaks("pipeline", "run", ...incidentRange, "--dry-run", "--format", "json");
      expect(dry.code, dry.stderr).toBe(0);
      const report = JSON.parse(dry.stdout) as { runId: number | null; status: string; details: { ingest: { detected: { namespace: string }[] } } };
      expect(report).toMatchObject({ runId: null, status: "succeeded" });
      expect(report.details.ingest.detected.map((peak) => peak.namespace)).toEqual(["payments", "payments", "payments", "payments"]);
      expect(await db().prisma.pipelineRun.count()).toBe(0);
      expect(await db().prisma.peakInvestigation.count()).toBe(0);
      expect(teams.requests).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "exits 9 and records a failed run when Elasticsearch is unreachable, and 5 while another run holds the lock",
    async () => {
      const unreachable = await runCli(db().target, ["pipeline", "run", ...incidentRange], { ...environment(), ES_URL: "http://127.0.0.1:9" });
      expect(unreachable.code, unreachable.stderr).toBe(9);
      expect(unreachable.stdout).toContain("FAILED");
      expect(await db().prisma.peakRawData.count({ where: { timestamp: { gte: new Date(grid.localDayRange(incidentDay).startMs) } } })).toBe(0);

      const held = await tryAcquireLock(
        db().prisma,
        WINDOWS_LOCK,
        { holder: "peaks batch", host: os.hostname(), pid: process.pid },
        { leaseMs: 600_000, now: new Date(), isProcessAlive: () => true },
      );
      if (!held.acquired) throw new Error("the test should hold the lock");
      try {
        const refused = await peaks("pipeline", "run", ...incidentRange);
        expect(refused.code).toBe(5);
        expect(refused.stderr).toContain(`Another run is processing windows: peaks batch (pid ${process.pid}`);
        const ingestRefused = await peaks("ingest", "--from", incidentDay, "--to", incidentDay);
        expect(ingestRefused.code).toBe(5);
      } finally {
        await releaseLock(db().prisma, held.lock);
      }
      const runs = await peaks("pipeline", "runs", "--format", "json");
      expect(JSON.parse(runs.stdout)).toMatchObject([{ status: "failed", trigger: "cli", documentsSeen: 0 }]);
    },
    TIMEOUT,
  );

  it(
    "runs again after being killed midway: no duplicate or missing window, one Teams message",
    async () => {
      const prisma = db().prisma;
      teams.answerWith([{ status: 500, text: "busy" }, { status: 202 }]);
      // Every search is slow, so the run is still investigating when it is killed.
      server.inject({ delayMs: 300 }, { path: /_search/, times: 100_000 });
      const child = startCli(db().target, ["pipeline", "run", ...incidentRange, "--skip-analysis"], environment());
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let killedRunId: number | null = null;
      const deadline = Date.now() + 120_000;
      while (killedRunId === null && Date.now() < deadline) {
        const running = await prisma.pipelineRun.findFirst({ where: { status: "running" } });
        const steps = (running?.steps ?? []) as unknown as StoredStep[];
        if (running && steps.find((step) => step.name === "ingest_detect")?.status === "succeeded") killedRunId = running.id;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(killedRunId, "the run reached step 4").not.toBeNull();
      child.kill("SIGKILL");
      await exited;
      server.clearFaults();
      expect(teams.requests).toEqual([]);

      const again = await peaks("pipeline", "run", ...incidentRange);
      expect(again.code, again.stderr + again.stdout).toBe(0);
      expect(again.stdout).toMatch(/Run #\d+ over 2026-01-29 00:00–2026-01-30 00:00 Europe\/Prague succeeded/);

      const killed = await prisma.pipelineRun.findUnique({ where: { id: killedRunId! } });
      expect(killed).toMatchObject({ status: "failed" });
      expect(killed!.error).toContain(`pid ${child.pid}`);
      const day = grid.localDayRange(incidentDay);
      const windows = await prisma.peakRawData.findMany({ where: { timestamp: { gte: new Date(day.startMs), lt: new Date(day.endMs) } } });
      expect(windows).toHaveLength(grid.windowsBetween(day.startMs, day.endMs).length * namespaces.length);
      expect(new Set(windows.map((window) => `${window.timestamp.getTime()} ${window.namespace}`)).size).toBe(windows.length);
      const stored = await prisma.peakInvestigation.findMany({ orderBy: { timestamp: "asc" } });
      expect(stored.map((peak) => peak.namespace)).toEqual(["payments", "payments", "payments", "payments"]);
      expect(stored.every((peak) => peak.enrichedAt !== null)).toBe(true);
      // One incident, one message: answered 500 once, then accepted.
      expect(teams.requests).toHaveLength(2);
      expect(teams.requests[0]!.body).toEqual(teams.requests[1]!.body);
      expect(await prisma.notificationDelivery.findMany({ select: { status: true, attempts: true, peakId: true } })).toEqual([
        { status: "sent", attempts: 2, peakId: stored[0]!.id },
      ]);

      const shown = await peaks("pipeline", "show", String(killedRunId));
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain("Abandoned");
      expect((await peaks("pipeline", "show", "99999")).code).toBe(4);
      const maintenance = await peaks("maintenance", "--dry-run");
      expect(maintenance.code, maintenance.stderr).toBe(0);
      expect(maintenance.stdout).toMatch(/peak_raw_data\s+forever/);
      expect(maintenance.stdout).toMatch(/pipeline_runs\s+365 days/);
    },
    TIMEOUT,
  );
});
