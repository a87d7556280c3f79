import { spawnSync } from "node:child_process";
import os from "node:os";
import { expect, test as base, type APIRequest, type APIRequestContext } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import { findLock, releaseLock, tryAcquireLock, type HeldLock, type LockOwner } from "@/lib/db/run-lock";
import type { PipelineRunRecord } from "@/lib/runs/contract";
import type { Jsonified } from "@/lib/http/jsonified";
import type { MaintenanceReport } from "@/lib/jobs/maintenance";
import { isProcessAlive, WINDOWS_LOCK } from "@/lib/jobs/run-lock";
import { createWindowGrid, formatLocalTime } from "@/lib/pipeline/time";
import type { runScheduledEnrichment, runScheduledPipeline } from "@/lib/jobs/scheduled";
import type { RunList as RunAnswer, StartedRunAnswer } from "@/lib/runs/contract";
import { e2eDatabase } from "./support/database";
import { loginOverHttp } from "./support/login";
import { E2E_CRON_SECRET, E2E_SAMPLE_DAYS, e2eUsers } from "./support/users";

// The JSON answers as the dashboard reads them: the library's types after a JSON round trip.
type Run = Jsonified<PipelineRunRecord>;
type RunList = Jsonified<RunAnswer>;
type StartAnswer = StartedRunAnswer;
type ScheduledPipelineAnswer = Awaited<ReturnType<typeof runScheduledPipeline>>;
type MaintenanceAnswer = Jsonified<MaintenanceReport>;
type EnrichAnswer = Awaited<ReturnType<typeof runScheduledEnrichment>>;
type ErrorAnswer = { error: string; message: string; details?: { path: string; message: string }[] };

const STEP_NAMES = ["collect", "classify", "trace_analysis", "ingest_detect", "known_issues", "record_stats", "ai_analysis", "notify", "maintenance"];
/** Steps a succeeded run always ran; the others are skipped without documents, AI or Teams. */
const REQUIRED_STEPS = ["collect", "ingest_detect", "known_issues", "record_stats", "maintenance"];
const CRON_PATHS = ["/api/cron/pipeline", "/api/cron/enrich", "/api/cron/maintenance"];
const DAY_MS = 86_400_000;
const WINDOWS_PER_DAY = 96;
/** `peaks generate --namespaces` in start-server.ts. */
const SAMPLE_NAMESPACES = 2;
const RUN_TIMEOUT_MS = 60_000;

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

async function signedIn(request: APIRequest, baseURL: string | undefined, user: { email: string; password: string }): Promise<APIRequestContext> {
  const context = await request.newContext({ baseURL });
  expect((await loginOverHttp(context, user.email, user.password)).ok()).toBe(true);
  return context;
}

// Fixtures hand their value to `provide` (Playwright's docs call it `use`, which React's lint
// rules mistake for React's use()).
const test = base.extend<{ analyst: APIRequestContext; viewer: APIRequestContext; admin: APIRequestContext }, { database: Database }>({
  analyst: async ({ playwright, baseURL }, provide) => {
    const context = await signedIn(playwright.request, baseURL, e2eUsers.analyst);
    await provide(context);
    await context.dispose();
  },
  viewer: async ({ playwright, baseURL }, provide) => {
    const context = await signedIn(playwright.request, baseURL, e2eUsers.viewer);
    await provide(context);
    await context.dispose();
  },
  admin: async ({ playwright, baseURL }, provide) => {
    const context = await signedIn(playwright.request, baseURL, e2eUsers.admin);
    await provide(context);
    await context.dispose();
  },
  database: e2eDatabase,
});

/** Polls a run until it has ended, then waits for its lock to go, so the next run is not refused. */
async function waitForRunToEnd(viewer: APIRequestContext, database: Database, runId: number): Promise<Run> {
  const readRun = async () => {
    const response = await viewer.get(`/api/pipeline/runs/${runId}`);
    expect(response.status()).toBe(200);
    return (await response.json()) as Run;
  };
  await expect.poll(async () => (await readRun()).status, { timeout: RUN_TIMEOUT_MS, intervals: [250, 500, 1000] }).not.toBe("running");
  // The run records its end just before it releases the lock.
  await expect.poll(() => findLock(database.prisma, WINDOWS_LOCK), { timeout: 10_000 }).toBeNull();
  return readRun();
}

function stepOf(run: Run, name: string): Run["steps"][number] {
  const step = run.steps.find((candidate) => candidate.name === name);
  if (!step) throw new Error(`Run #${run.id} has no step ${name}`);
  return step;
}

/** A run that succeeded: its nine steps in order, each ended, with timings for those that ran. */
function expectSucceededRun(run: Run) {
  expect(run.status, run.error ?? "").toBe("succeeded");
  expect(run.error).toBeNull();
  expect(run.finishedAt).toEqual(expect.any(String));
  expect(run.steps.map((step) => step.name)).toEqual(STEP_NAMES);
  for (const step of run.steps) {
    expect(["succeeded", "skipped"], `step ${step.name}`).toContain(step.status);
    expect(step.error, `step ${step.name}`).toBeNull();
    if (step.status === "succeeded") {
      expect(step.durationMs, `step ${step.name}`).toEqual(expect.any(Number));
      expect(step.durationMs, `step ${step.name}`).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(step.startedAt ?? "")), `step ${step.name}`).toBe(false);
    } else {
      expect(step.durationMs, `step ${step.name}`).toBeNull();
      expect(step.note, `step ${step.name} says why it was skipped`).toEqual(expect.any(String));
    }
  }
  for (const name of REQUIRED_STEPS) expect(stepOf(run, name).status, `step ${name}`).toBe("succeeded");
}

/** A whole UTC day in the middle of the sample logs, which end yesterday: stored since the server started. */
function sampleDay(): { from: string; to: string } {
  const day = new Date(Date.now() - (E2E_SAMPLE_DAYS / 2) * DAY_MS).toISOString().slice(0, 10);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: `${day}T00:00:00+00:00`, to: `${next}T00:00:00+00:00` };
}

/** A pid no process has: that of a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  if (child.pid === undefined || isProcessAlive(child.pid)) throw new Error("No exited child process to borrow a pid from");
  return child.pid;
}

async function holdWindowsLock(database: Database, owner: LockOwner): Promise<HeldLock> {
  await expect.poll(() => findLock(database.prisma, WINDOWS_LOCK), { timeout: 10_000 }).toBeNull();
  const attempt = await tryAcquireLock(database.prisma, WINDOWS_LOCK, owner, { leaseMs: 3_600_000, now: new Date(), isProcessAlive });
  if (!attempt.acquired) throw new Error(`The windows lock is held by ${attempt.heldBy.holder}`);
  return attempt.lock;
}

// Runs first: on a fresh server the analyst's run is the one that catches up (202); the
// scheduled run after it, in the same quarter hour, finds nothing left and says so.
test.describe("pipeline runs", () => {
  test.describe.configure({ timeout: 120_000 });

  test("without a session, starting or listing runs answers 401", async ({ request }) => {
    const start = await request.post("/api/pipeline/runs", { data: {} });
    expect(start.status()).toBe(401);
    expect(await start.json()).toEqual({ error: "unauthenticated", message: "Sign in to continue" });
    expect((await request.get("/api/pipeline/runs")).status()).toBe(401);
  });

  test("a viewer cannot start a run", async ({ viewer }) => {
    const response = await viewer.post("/api/pipeline/runs", { data: {} });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden" });
  });

  test("an analyst starts a run over the windows since the last one; a viewer follows it to the end", async ({ analyst, viewer, database }) => {
    const response = await analyst.post("/api/pipeline/runs", { data: {} });
    const answer = (await response.json()) as StartAnswer;
    if (answer.status === "up_to_date") {
      // An earlier run in this suite processed every completed window already.
      expect(response.status()).toBe(200);
      expect(answer.runId).toBeNull();
      expect(answer.message).toMatch(/^Nothing to process: every completed window up to .+ is processed\.$/);
      return;
    }
    expect(response.status()).toBe(202);
    expect(answer).toMatchObject({ status: "running", runId: expect.any(Number), rangeText: expect.any(String) });
    expect(Date.parse(answer.range.from)).toBeLessThan(Date.parse(answer.range.to));
    expect(Date.parse(answer.range.to)).toBeLessThanOrEqual(Date.now());

    const run = await waitForRunToEnd(viewer, database, answer.runId);
    expectSucceededRun(run);
    expect(run.id).toBe(answer.runId);
    expect(run.trigger).toBe("api");
    expect(run.startedBy?.email).toBe(e2eUsers.analyst.email);
    expect({ from: run.rangeFrom, to: run.rangeTo }).toEqual(answer.range);
    expect(run.advancesWatermark).toBe(true);
  });

  test("a run over a day already processed stores no window again and lists first", async ({ analyst, viewer, database }) => {
    const day = sampleDay();
    const response = await analyst.post("/api/pipeline/runs", { data: day });
    expect(response.status()).toBe(202);
    const answer = (await response.json()) as StartAnswer;
    if (answer.status !== "running") throw new Error(`Expected a running run, got ${JSON.stringify(answer)}`);
    expect(answer.range).toEqual({ from: new Date(day.from).toISOString(), to: new Date(day.to).toISOString() });

    const run = await waitForRunToEnd(viewer, database, answer.runId);
    expectSucceededRun(run);
    expect(run.startedBy?.email).toBe(e2eUsers.analyst.email);
    // A range behind the watermark fills in; it must not move the watermark back.
    expect(run.advancesWatermark).toBe(false);
    const collect = stepOf(run, "collect");
    expect(collect.counts).toMatchObject({ windows: WINDOWS_PER_DAY, namespaces: SAMPLE_NAMESPACES });
    expect(collect.counts.documents).toBeGreaterThan(0);
    expect(run.documentsSeen).toBe(collect.counts.documents);
    expect(stepOf(run, "classify").status).toBe("succeeded");
    expect(stepOf(run, "trace_analysis").status).toBe("succeeded");
    expect(stepOf(run, "ingest_detect").counts).toMatchObject({
      windowsStored: 0,
      windowsAlreadyStored: WINDOWS_PER_DAY * SAMPLE_NAMESPACES,
      newPeaks: 0,
      continuingPeaks: 0,
    });
    expect(run.peaksFound).toBe(0);

    const list = await viewer.get("/api/pipeline/runs");
    expect(list.status()).toBe(200);
    const { runs } = (await list.json()) as RunList;
    expect(runs[0]?.id).toBe(answer.runId);
    expect(runs[0]?.status).toBe("succeeded");
    expect(runs.map((listed) => listed.id)).toEqual([...runs.map((listed) => listed.id)].sort((a, b) => b - a));

    const page = (await (await viewer.get("/api/pipeline/runs?limit=1")).json()) as RunList;
    expect(page.runs.map((listed) => listed.id)).toEqual([answer.runId]);
    expect(page.nextBeforeId).toBe(answer.runId);
    const older = (await (await viewer.get(`/api/pipeline/runs?before=${answer.runId}`)).json()) as RunList;
    for (const listed of older.runs) expect(listed.id).toBeLessThan(answer.runId);
  });

  test("invalid input answers 400 naming the field, before any run starts", async ({ analyst }) => {
    const cases: { data: unknown; path: string; message?: string }[] = [
      { data: { to: "2026-01-10T00:00:00+01:00" }, path: "to", message: "to needs from" },
      { data: { from: "yesterday" }, path: "from" },
      { data: { from: "2026-01-10T00:00:00+01:00", to: "2026-01-09T00:00:00+01:00" }, path: "to", message: "must be after from" },
      { data: { skipAnalysis: "yes" }, path: "skipAnalysis" },
      { data: { force: true }, path: "" },
    ];
    for (const { data, path, message } of cases) {
      const response = await analyst.post("/api/pipeline/runs", { data });
      expect(response.status(), JSON.stringify(data)).toBe(400);
      const body = (await response.json()) as ErrorAnswer;
      expect(body.error).toBe("invalid_input");
      expect(body.details, JSON.stringify(data)).toContainEqual(message === undefined ? expect.objectContaining({ path }) : { path, message });
    }

    const notJson = await analyst.post("/api/pipeline/runs", { headers: { "Content-Type": "application/json" }, data: Buffer.from("{from:") });
    expect(notJson.status()).toBe(400);
    expect(await notJson.json()).toEqual({ error: "invalid_input", message: "The request body must be JSON" });

    const tomorrow = Date.now() + DAY_MS;
    const future = await analyst.post("/api/pipeline/runs", {
      data: { from: new Date(tomorrow).toISOString(), to: new Date(tomorrow + DAY_MS).toISOString() },
    });
    expect(future.status()).toBe(400);
    expect(((await future.json()) as ErrorAnswer).message).toMatch(/^The range starts after the last completed window/);
    // Without `to` the range ends now, before a future `from`.
    const futureFrom = await analyst.post("/api/pipeline/runs", { data: { from: new Date(tomorrow).toISOString() } });
    expect(futureFrom.status()).toBe(400);
    expect(((await futureFrom.json()) as ErrorAnswer).error).toBe("invalid_input");
  });

  test("reading runs: 400 for an id that is not a number, 404 JSON for an unknown one", async ({ viewer }) => {
    const malformed = await viewer.get("/api/pipeline/runs/abc");
    expect(malformed.status()).toBe(400);
    const body = (await malformed.json()) as ErrorAnswer;
    expect(body.error).toBe("invalid_input");
    expect(body.details?.map((detail) => detail.path)).toEqual(["id"]);

    const unknown = await viewer.get("/api/pipeline/runs/999999");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: "not_found", message: "No pipeline run #999999" });

    expect((await viewer.get("/api/pipeline/runs?status=done")).status()).toBe(400);
    expect((await viewer.get("/api/pipeline/runs?limit=0")).status()).toBe(400);
  });

  test("while another process holds the windows lock, runs and lock-taking jobs answer 409 naming it", async ({ analyst, viewer, request, database }) => {
    const owner: LockOwner = { holder: "e2e test holding the lock", host: os.hostname(), pid: process.pid };
    const lock = await holdWindowsLock(database, owner);
    try {
      const response = await analyst.post("/api/pipeline/runs", { data: {} });
      expect(response.status()).toBe(409);
      const body = (await response.json()) as ErrorAnswer;
      expect(body.error).toBe("conflict");
      // Times in the dashboard's timezone, as every other time the analyst reads.
      const since = formatLocalTime(lock.acquiredAt.getTime(), createWindowGrid("Europe/Prague", 15));
      expect(body.message).toContain(`Another run is processing windows: ${owner.holder} (pid ${owner.pid} on ${owner.host}, since ${since} Europe/Prague)`);
      expect(body.message).toMatch(/its lease runs until \d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/Prague and is renewed/);
      for (const path of ["/api/cron/pipeline", "/api/cron/enrich"]) {
        const job = await request.get(path, { headers: bearer(E2E_CRON_SECRET) });
        expect(job.status(), path).toBe(409);
        expect(((await job.json()) as ErrorAnswer).error).toBe("conflict");
      }
      // Refused runs leave no record.
      const { runs } = (await (await viewer.get("/api/pipeline/runs?status=running")).json()) as RunList;
      expect(runs).toEqual([]);
    } finally {
      await releaseLock(database.prisma, lock);
    }

    const accepted = await analyst.post("/api/pipeline/runs", { data: {} });
    expect([200, 202]).toContain(accepted.status());
    const answer = (await accepted.json()) as StartAnswer;
    if (answer.status === "running") expectSucceededRun(await waitForRunToEnd(viewer, database, answer.runId));
  });

  test("a lock left by a process of this host that no longer exists is taken over", async ({ analyst, viewer, database }) => {
    const owner: LockOwner = { holder: "e2e test's killed run", host: os.hostname(), pid: deadPid() };
    const lock = await holdWindowsLock(database, owner);
    try {
      const response = await analyst.post("/api/pipeline/runs", { data: {} });
      expect([200, 202]).toContain(response.status());
      const answer = (await response.json()) as StartAnswer;
      if (answer.status === "running") expectSucceededRun(await waitForRunToEnd(viewer, database, answer.runId));
      await expect.poll(() => findLock(database.prisma, WINDOWS_LOCK), { timeout: 10_000 }).toBeNull();
    } finally {
      await releaseLock(database.prisma, lock);
    }
  });
});

test.describe("scheduled jobs (cron)", () => {
  test("answer 401 without an Authorization header", async ({ request }) => {
    for (const path of CRON_PATHS) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      // This message (not "Scheduled jobs are off") also proves the server has a CRON_SECRET.
      expect(await response.json(), path).toEqual({ error: "unauthenticated", message: "Scheduled jobs need Authorization: Bearer $CRON_SECRET" });
    }
  });

  test("answer 401 to a wrong or malformed bearer", async ({ request }) => {
    for (const authorization of [
      "Bearer wrong-secret-of-enough-length",
      `Bearer ${E2E_CRON_SECRET}x`,
      `Bearer ${E2E_CRON_SECRET.slice(0, -1)}`,
      E2E_CRON_SECRET,
      "Bearer ",
    ]) {
      for (const path of CRON_PATHS) {
        const response = await request.get(path, { headers: { Authorization: authorization } });
        expect(response.status(), `${path} with "${authorization}"`).toBe(401);
        expect(((await response.json()) as ErrorAnswer).error).toBe("unauthenticated");
      }
    }
  });

  test("are not opened by a signed-in admin's session", async ({ admin }) => {
    expect((await admin.get("/api/overview")).status()).toBe(200);
    for (const path of CRON_PATHS) {
      const response = await admin.get(path);
      expect(response.status(), path).toBe(401);
      expect(((await response.json()) as ErrorAnswer).error).toBe("unauthenticated");
    }
  });

  test("pipeline: runs every completed window since the last run and answers with the outcome", async ({ request, viewer }) => {
    test.setTimeout(120_000);
    const response = await request.get("/api/cron/pipeline", { headers: bearer(E2E_CRON_SECRET) });
    expect(response.status()).toBe(200);
    const answer = (await response.json()) as ScheduledPipelineAnswer;
    expect(answer.failedStep).toBeNull();
    if (answer.status === "up_to_date") {
      expect(answer.runId).toBeNull();
      expect(answer.message).toMatch(/^Nothing to process: every completed window up to .+ is processed\.$/);
      return;
    }
    expect(answer.status).toBe("succeeded");
    expect(answer.runId).toEqual(expect.any(Number));
    expect(answer.message).toMatch(new RegExp(`^Run #${answer.runId} over .+: \\d+ error documents, \\d+ peak windows, \\d+ notifications sent\\.$`));
    const run = (await (await viewer.get(`/api/pipeline/runs/${answer.runId}`)).json()) as Run;
    expectSucceededRun(run);
    expect(run.trigger).toBe("cron");
    expect(run.startedBy).toBeNull();
    expect(run.advancesWatermark).toBe(true);
  });

  test("maintenance: deletes expired rows and reports every table", async ({ request }) => {
    const response = await request.get("/api/cron/maintenance", { headers: bearer(E2E_CRON_SECRET) });
    expect(response.status()).toBe(200);
    const report = (await response.json()) as MaintenanceAnswer;
    expect(report.isDryRun).toBe(false);
    expect(report.tables.map((row) => row.table)).toEqual(
      expect.arrayContaining(["peak_raw_data", "peak_investigation", "pipeline_runs", "audit_log", "login_failures"]),
    );
    expect(report.deleted).toBe(report.tables.reduce((sum, row) => sum + row.deleted, 0));
    // The sample windows are younger than their retention, so they stay for the other specs.
    expect(report.tables.find((row) => row.table === "peak_raw_data")).toMatchObject({ retentionDays: 30, deleted: 0 });
  });

  test("enrich: investigates every peak not enriched yet, once", async ({ request, database }) => {
    test.setTimeout(180_000);
    const waiting = await database.prisma.peakInvestigation.count({ where: { enrichedAt: null } });
    const response = await request.get("/api/cron/enrich", { headers: bearer(E2E_CRON_SECRET) });
    expect(response.status()).toBe(200);
    const report = (await response.json()) as EnrichAnswer;
    expect(report.enriched + report.withoutDocuments).toBe(waiting);
    // AI is off unless the environment configures it; either way the answer says what happened.
    if ("skipped" in report.ai) expect(report.ai.skipped).toEqual(expect.any(String));
    else expect(report.ai).toEqual({ analyzed: expect.any(Number), failed: expect.any(Number) });
    expect(await database.prisma.peakInvestigation.count({ where: { enrichedAt: null } })).toBe(report.withoutDocuments);

    const again = (await (await request.get("/api/cron/enrich", { headers: bearer(E2E_CRON_SECRET) })).json()) as EnrichAnswer;
    expect(again.enriched).toBe(0);
    expect(again.withoutDocuments).toBe(report.withoutDocuments);
  });
});
