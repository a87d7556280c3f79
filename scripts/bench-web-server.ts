// The server side of `npm run bench:web`, shared with `npm run bench:scale`: building and starting
// the dashboard with `next start`, the routes measured, and the load with its figures per route.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "../cli/output";
import { childProcessEnvironment } from "@/lib/env.js";
import { createRandom, type Random } from "@/lib/synthetic/random";
import { median, seconds, thousands } from "./bench-support";
import { figuresOf, runRounds, signIn, timedGet, type RouteFigures, type RouteSpec, type Sample, type Session } from "./bench-web-load";
import type { SeededData } from "./bench-web-seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export const TARGET_P95_MS = 300;
const DAY_MS = 86_400_000;
export const HEALTH = "/api/health/ready (baseline)";
/** Pages of 200 peaks walked to collect cursors of later pages. */
const CURSOR_PAGES = 20;

/** Where progress goes (stderr when stdout carries JSON). */
export type Say = (...parts: unknown[]) => void;
export const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "-");
export const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

// ---------------------------------------------------------------------------------------------
// Processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Runs a command to its end with its output on stderr (stdout may be the JSON document). */
export function runToEnd(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", process.stderr, process.stderr] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export async function buildDashboard(say: Say): Promise<number> {
  say("Building the dashboard (next build)…");
  const started = performance.now();
  const code = await runToEnd([NEXT_BIN, "build"], childProcessEnvironment({ NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return performance.now() - started;
}

/** pid: the server's process (the leader of its group). */
export type Dashboard = { baseUrl: string; pid: number; stop: () => Promise<void> };

/** `next start` over the given database; resolves once /api/health/ready answers 200. */
export async function startDashboard(databaseEnvironment: Record<string, string | undefined>, port?: number): Promise<Dashboard> {
  port ??= await freePort();
  const baseUrl = `http://localhost:${port}`;
  const env = childProcessEnvironment({
    ...databaseEnvironment,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    // Empty values, which no .env file overrides, keep the developer's services out of the run.
    ES_URL: "",
    PEAKS_LOG_INPUT: "",
    TEAMS_WEBHOOK_URL: "",
    AI_BASE_URL: "",
    CRON_SECRET: "",
    OIDC_ISSUER: "",
    OIDC_CLIENT_ID: "",
    OIDC_CLIENT_SECRET: "",
  });
  // Its own process group, so that stopping it stops whatever it started too.
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((line) => line.trim() !== ""),
    );
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const stop = async () => {
    const pid = child.pid;
    if (exitCode !== null || pid === undefined) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // The group is gone already.
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exitCode !== null) throw new Error(`next start exited (${exitCode}):\n${output.join("\n")}`);
    try {
      const response = await fetch(`${baseUrl}/api/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return { baseUrl, pid: child.pid!, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`next start was not ready (/api/health/ready) within 120 s:\n${output.join("\n")}`);
}

// ---------------------------------------------------------------------------------------------
// Routes

const PEAK_STATUS_FILTERS = ["open", "open,acknowledged", "known_issue", "resolved"] as const;
const INCIDENT_STATUS_FILTERS = ["open", "open,acknowledged", "known_issue", "resolved"] as const;
const PROBLEM_SCOPE_FILTERS = ["single", "several,systemic"] as const;

export function routesOf(seeded: SeededData, cursors: readonly string[]): RouteSpec[] {
  const fromDaysAgo = (days: number) => encodeURIComponent(new Date(Date.now() - days * DAY_MS).toISOString());
  const namespace = (random: Random) => encodeURIComponent(random.pick(seeded.namespaces));
  return [
    { name: HEALTH, path: () => "/api/health/ready" },
    { name: "/ (overview page)", path: () => "/" },
    { name: "/api/overview", path: () => "/api/overview" },
    { name: "/api/incidents (first page)", path: () => "/api/incidents" },
    {
      name: "/api/incidents?status=&ongoing=",
      path: (random) => `/api/incidents?status=${encodeURIComponent(random.pick(INCIDENT_STATUS_FILTERS))}${random.chance(0.5) ? "&ongoing=true" : ""}`,
    },
    { name: "/api/incidents?namespace=", path: (random) => `/api/incidents?namespace=${namespace(random)}` },
    { name: "/api/incidents/:id", path: (random) => `/api/incidents/${random.pick(seeded.incidentIds)}` },
    { name: "/api/namespaces (first page)", path: () => "/api/namespaces?limit=25" },
    {
      name: "/api/namespaces?q=&sort=&offset=",
      path: (random) =>
        `/api/namespaces?q=${encodeURIComponent(random.pick(seeded.namespaces).slice(0, 3))}&sort=${random.pick(["deviation", "name"] as const)}&offset=${random.pick([0, 50])}`,
    },
    { name: "/api/namespaces/:ns/series (7 days)", path: (random) => `/api/namespaces/${namespace(random)}/series` },
    { name: "/api/namespaces/:ns/series?from= (90 days)", path: (random) => `/api/namespaces/${namespace(random)}/series?from=${fromDaysAgo(90)}` },
    { name: "/api/peaks (first page)", path: () => "/api/peaks" },
    {
      name: "/api/peaks?namespace=&status=",
      path: (random) => `/api/peaks?namespace=${namespace(random)}&status=${encodeURIComponent(random.pick(PEAK_STATUS_FILTERS))}`,
    },
    { name: "/api/peaks?cursor= (later page)", path: (random) => `/api/peaks?cursor=${encodeURIComponent(random.pick(cursors))}` },
    { name: "/api/peaks/:id", path: (random) => `/api/peaks/${random.pick(seeded.peakIds)}` },
    { name: "/api/known-issues", path: () => "/api/known-issues" },
    { name: "/api/known-issues/:id", path: (random) => `/api/known-issues/${random.pick(seeded.knownIssueIds)}` },
    { name: "/api/patterns", path: () => "/api/patterns" },
    { name: "/api/patterns/:hash", path: (random) => `/api/patterns/${encodeURIComponent(random.pick(seeded.patternHashes))}` },
    { name: "/problems (problems page, 7 days)", path: () => "/problems?since=7d" },
    { name: "/api/problems (24 hours)", path: () => "/api/problems" },
    {
      name: "/api/problems?since=7d&scope=&known=",
      path: (random) =>
        `/api/problems?since=7d${random.chance(0.5) ? `&scope=${random.pick(PROBLEM_SCOPE_FILTERS)}` : ""}${random.chance(0.5) ? `&known=${random.pick(["true", "false"] as const)}` : ""}`,
    },
    { name: "/api/problems?since=90d", path: () => "/api/problems?since=90d" },
    // A data set without investigated peaks in its last days has no problem to ask for.
    ...(seeded.recentProblemIds.length === 0
      ? []
      : [
          {
            name: "/api/problems/:id (7 days)",
            path: (random: Random) => `/api/problems/${encodeURIComponent(random.pick(seeded.recentProblemIds))}?since=7d`,
          },
          {
            name: "/problems/:id (problem page, 7 days)",
            path: (random: Random) => `/problems/${encodeURIComponent(random.pick(seeded.recentProblemIds))}?since=7d`,
          },
        ]),
    { name: "/api/thresholds", path: () => "/api/thresholds" },
    { name: "/api/pipeline/runs", path: () => "/api/pipeline/runs" },
  ];
}

/** Cursors of later pages of the timeline, from walking it 200 peaks at a time. */
export async function collectCursors(baseUrl: string, session: Session): Promise<string[]> {
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < CURSOR_PAGES; page += 1) {
    const { sample, body } = await timedGet(baseUrl, session, "cursors", `/api/peaks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (sample.status !== 200) throw new Error(`GET /api/peaks answered ${sample.status} while collecting cursors`);
    cursor = (JSON.parse(Buffer.from(body).toString("utf8")) as { nextCursor: string | null }).nextCursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  if (cursors.length === 0) throw new Error("The timeline has a single page: no cursor to request");
  return cursors;
}

export type Check = { route: string; status: number; bytes: number; note: string };

/** Each route once, before any timing: its status, size and what it holds, to show that the answers are real. */
export async function checkRoutes(baseUrl: string, session: Session, routes: readonly RouteSpec[], seed: number): Promise<Check[]> {
  const random = createRandom(`checks ${seed}`);
  const checks: Check[] = [];
  for (const route of routes) {
    const { sample, body } = await timedGet(baseUrl, session, route.name, route.path(random));
    let note = "";
    if (sample.status === 200 && !route.name.startsWith("/api/")) note = "HTML";
    else if (sample.status === 200) {
      const json = JSON.parse(Buffer.from(body).toString("utf8")) as Record<string, unknown>;
      const count = (key: string) => (Array.isArray(json[key]) ? (json[key] as unknown[]).length : 0);
      if (route.name.includes("/series")) note = `${count("points")} points of ${String(json.bucketMinutes)} min, ${count("peaks")} peaks`;
      else if (route.name.startsWith("/api/namespaces ") || route.name.startsWith("/api/namespaces?"))
        note = `${count("rows")} of ${String(json.matching)} namespaces`;
      else if (route.name.startsWith("/api/peaks?") || route.name.startsWith("/api/peaks (")) note = `${count("peaks")} peaks`;
      else if (route.name.startsWith("/api/incidents?") || route.name.startsWith("/api/incidents (")) note = `${count("incidents")} incidents`;
      else if (route.name === "/api/overview") note = `${count("onFire")} on fire, ${count("lastDay")} in 24 h`;
      else if (route.name === "/api/known-issues") note = `${count("knownIssues")} known issues`;
      else if (route.name === "/api/patterns") note = `${count("patterns")} of ${String(json.total)} patterns`;
      else if (route.name.startsWith("/api/problems?") || route.name.startsWith("/api/problems ("))
        note = `${count("problems")} of ${String(json.total)} problems`;
      else if (route.name.startsWith("/api/problems/")) note = `${String(json.incidentTotal)} incidents, ${String(json.occurrences)} windows`;
      else if (route.name === "/api/pipeline/runs") note = `${count("runs")} runs`;
      else if (route.name === "/api/thresholds") note = `${count("history")} versions`;
    }
    checks.push({ route: route.name, status: sample.status, bytes: sample.bytes, note });
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// The load

/** clientCpuMs: CPU time of this process (the clients) during the run, which the server did not have. */
export type RunFigures = { wallMs: number; requests: number; clientCpuMs: number; routes: RouteFigures[] };

export type RouteSummary = {
  route: string;
  samples: number;
  errors: number;
  /** Medians over the runs (a single run: its own figures). */
  p50Ms: number;
  p95Ms: number;
  /** Each run's p95. */
  p95PerRunMs: number[];
  maxMs: number;
  /** Median over the runs of p95 ÷ the health route's p95 of the same run. */
  p95ToHealth: number;
  payloadBytes: number;
  /** p50 with one client alone (the route's own cost); null when not measured. */
  aloneP50Ms: number | null;
  isMet: boolean;
};

export function summarise(runs: readonly RunFigures[], alone: readonly RouteFigures[] | null, routeNames: readonly string[]): RouteSummary[] {
  return routeNames.map((route) => {
    const own = runs.map((run) => ({
      figures: run.routes.find((figures) => figures.route === route)!,
      health: run.routes.find((figures) => figures.route === HEALTH)!,
    }));
    const p95PerRunMs = own.map(({ figures }) => figures.p95Ms);
    const errors = own.reduce((sum, { figures }) => sum + figures.errors, 0);
    const p95Ms = median(p95PerRunMs);
    return {
      route,
      samples: own.reduce((sum, { figures }) => sum + figures.samples, 0),
      errors,
      p50Ms: median(own.map(({ figures }) => figures.p50Ms)),
      p95Ms,
      p95PerRunMs,
      maxMs: Math.max(...own.map(({ figures }) => figures.maxMs)),
      p95ToHealth: median(own.map(({ figures, health }) => figures.p95Ms / health.p95Ms)),
      payloadBytes: median(own.map(({ figures }) => figures.payloadBytes)),
      aloneP50Ms: alone?.find((figures) => figures.route === route)?.p50Ms ?? null,
      isMet: errors === 0 && p95Ms < TARGET_P95_MS,
    };
  });
}

export type LoadOptions = { clients: number; rounds: number; repeat: number; aloneRounds: number; seed: number; say: Say };

export type LoadResult = {
  checks: Check[];
  notAvailable: { route: string; status: number }[];
  alone: RouteFigures[] | null;
  runs: RunFigures[];
  summary: RouteSummary[];
};

/**
 * Signs in `clients` + 1 sessions, checks every route once, then a warm-up round, the rounds of
 * one client alone and `repeat` × `rounds` rounds of all clients (see bench-web.ts's header).
 */
export async function measureDashboard(baseUrl: string, seeded: SeededData, load: LoadOptions): Promise<LoadResult> {
  const say = load.say;
  const sessions = await Promise.all(Array.from({ length: load.clients + 1 }, () => signIn(baseUrl, seeded.admin.email, seeded.admin.password)));
  const setupSession = sessions.pop()!;
  const cursors = await collectCursors(baseUrl, setupSession);
  const allRoutes = routesOf(seeded, cursors);
  const checks = await checkRoutes(baseUrl, setupSession, allRoutes, load.seed);
  const notAvailable: { route: string; status: number }[] = [];
  for (const check of checks) {
    if (check.status === 200) continue;
    // The pattern routes are new; any other route must answer.
    if (!check.route.startsWith("/api/patterns")) throw new Error(`${check.route} answered ${check.status} before the load`);
    notAvailable.push({ route: check.route, status: check.status });
  }
  const routes = allRoutes.filter((route) => !notAvailable.some((missing) => missing.route === route.name));
  say(
    formatTable(
      ["ROUTE (ONE REQUEST BEFORE THE LOAD)", "STATUS", "JSON", "HOLDS"],
      checks.map((check) => [check.route, String(check.status), kib(check.bytes), check.note]),
    ),
  );

  const randomOf = (pass: string) => (client: number) => createRandom(`bench-web ${load.seed} ${pass} client ${client}`);
  say(`Warm-up: ${load.clients} clients × ${routes.length} routes (not counted)…`);
  await runRounds({ baseUrl: baseUrl, sessions, routes, rounds: 1, randomOf: randomOf("warm-up") });
  let alone: RouteFigures[] | null = null;
  if (load.aloneRounds > 0) {
    say(`One client alone: ${load.aloneRounds} rounds…`);
    const { samples } = await runRounds({
      baseUrl: baseUrl,
      sessions: sessions.slice(0, 1),
      routes,
      rounds: load.aloneRounds,
      randomOf: randomOf("alone"),
    });
    alone = figuresOf(
      samples,
      routes.map((route) => route.name),
    );
  }

  const runs: RunFigures[] = [];
  for (let repeat = 1; repeat <= load.repeat; repeat += 1) {
    const total = load.clients * load.rounds * routes.length;
    let done = 0;
    const ticker = setInterval(() => say(`  ${thousands(done)}/${thousands(total)} requests`), 15_000);
    let samples: Sample[];
    let wallMs: number;
    const cpuBefore = process.cpuUsage();
    try {
      ({ samples, wallMs } = await runRounds({
        baseUrl: baseUrl,
        sessions,
        routes,
        rounds: load.rounds,
        randomOf: randomOf(`run ${repeat}`),
        onRound: () => (done += routes.length),
      }));
    } finally {
      clearInterval(ticker);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const clientCpuMs = (cpu.user + cpu.system) / 1000;
    const figures = figuresOf(
      samples,
      routes.map((route) => route.name),
    );
    runs.push({ wallMs, requests: samples.length, clientCpuMs, routes: figures });
    const slowest = [...figures].sort((left, right) => right.p95Ms - left.p95Ms)[0];
    say(
      `Run ${repeat}/${load.repeat}: ${thousands(samples.length)} requests in ${seconds(wallMs)} (${(samples.length / (wallMs / 1000)).toFixed(1)}/s), ` +
        `clients' CPU ${seconds(clientCpuMs)}; slowest p95 ${slowest ? `${ms(slowest.p95Ms)} (${slowest.route})` : "-"}`,
    );
  }
  const summary = summarise(
    runs,
    alone,
    routes.map((route) => route.name),
  );
  return { checks, notAvailable, alone, runs, summary };
}

/** The table of a load's figures per route. */
export function routeTable(summary: readonly RouteSummary[], withRuns: boolean): string {
  return formatTable(
    ["ROUTE", "ALONE P50", "SAMPLES", "P50", "P95", "MAX", "P95 ÷ HEALTH", "JSON", "ERRORS", ...(withRuns ? ["P95 PER RUN"] : []), "TARGET"],
    summary.map((route) => [
      route.route,
      route.aloneP50Ms === null ? "-" : ms(route.aloneP50Ms),
      thousands(route.samples),
      ms(route.p50Ms),
      ms(route.p95Ms),
      ms(route.maxMs),
      route.route === HEALTH ? "1.0" : route.p95ToHealth.toFixed(1),
      kib(route.payloadBytes),
      String(route.errors),
      ...(withRuns ? [route.p95PerRunMs.map((value) => Math.round(value)).join(" ")] : []),
      route.isMet ? "met" : "MISSED",
    ]),
  );
}
