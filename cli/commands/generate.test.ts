import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Command, CommanderError } from "commander";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { labelsSchema } from "@/lib/synthetic/labels";
import { generateCommand } from "./generate";

// The command runs as cli/main runs it: commander errors are thrown (exitOverride) and any
// CommanderError other than help is exit code 2. Once cli/main registers the command, the real
// main() is used.

let stdoutWrite: MockInstance<typeof process.stdout.write>;
let stderrWrite: MockInstance<typeof process.stderr.write>;
let consoleLog: MockInstance<typeof console.log>;
let consoleWarn: MockInstance<typeof console.warn>;
let tempRoot: string;

beforeAll(async () => {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), "peaks-generate-"));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

beforeEach(() => {
  stdoutWrite = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  stderrWrite = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  consoleLog = vi.spyOn(console, "log").mockImplementation(() => {});
  consoleWarn = vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  stdoutWrite.mockRestore();
  stderrWrite.mockRestore();
  consoleLog.mockRestore();
  consoleWarn.mockRestore();
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<number> {
  const { buildProgram, main } = await import("@/cli/main");
  if (buildProgram().commands.some((command) => command.name() === "generate")) return main(["node", "peaks", "generate", ...args]);
  const program = new Command("peaks").exitOverride().showHelpAfterError("(run with --help for usage)");
  program.addCommand(generateCommand().exitOverride().showHelpAfterError("(run with --help for usage)"));
  try {
    await program.parseAsync(["node", "peaks", "generate", ...args]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

const stderr = () => stderrWrite.mock.calls.map(([chunk]) => String(chunk)).join("");
const logged = () => consoleLog.mock.calls.map((call) => call.map(String).join(" ")).join("\n");

async function readLines(file: string): Promise<string[]> {
  return gunzipSync(await readFile(file))
    .toString("utf8")
    .trimEnd()
    .split("\n");
}

describe("peaks generate", () => {
  it("writes one gzip NDJSON file per local day and labels.json", async () => {
    const out = path.join(tempRoot, "two-days");
    await expect(run("--out", out, "--days", "2", "--from", "2026-03-28", "--rate", "0.2", "--seed", "4")).resolves.toBe(0);
    expect((await readdir(out)).sort()).toEqual(["errors-2026-03-28.ndjson.gz", "errors-2026-03-29.ndjson.gz", "labels.json"]);
    const lines = await readLines(path.join(out, "errors-2026-03-29.ndjson.gz"));
    expect(lines.length).toBeGreaterThan(500);
    const documents = lines.map((line) => JSON.parse(line) as { "@timestamp"?: string; _source?: { "@timestamp": string } });
    // The DST day: 23 hours, 2026-03-28T23:00Z to 2026-03-29T22:00Z.
    const instants = documents.map((document) => {
      const text = document._source?.["@timestamp"] ?? document["@timestamp"] ?? "";
      return text.endsWith("Z") ? Date.parse(text) : Date.parse(`${text.replace(" ", "T")}+0${text < "2026-03-29 03" ? 1 : 2}:00`);
    });
    expect(Math.min(...instants)).toBeGreaterThanOrEqual(Date.parse("2026-03-28T23:00:00Z"));
    expect(Math.max(...instants)).toBeLessThan(Date.parse("2026-03-29T22:00:00Z"));
    expect(documents.some((document) => document._source !== undefined)).toBe(true);

    const labels = labelsSchema.parse(JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")));
    expect(labels).toMatchObject({ seed: 4, from: "2026-03-27T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z", timezone: "Europe/Prague", window_minutes: 15 });
    expect(labels.namespaces).toHaveLength(6);
    expect(labels.incidents.length).toBeGreaterThanOrEqual(6);
  });

  it("prints a summary with files, documents and incidents", async () => {
    const out = path.join(tempRoot, "summary");
    await expect(run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.2", "--namespaces", "2")).resolves.toBe(0);
    const text = logged();
    expect(text).toMatch(/Files: 1 × errors-YYYY-MM-DD\.ndjson\.gz \(2026-01-15 … 2026-01-15\) and labels\.json/);
    expect(text).toMatch(/Documents: [\d,]+ \([\d,]+ ERROR, [\d,]+ WARN, [\d,]+ INFO\)/);
    expect(text).toContain("Namespaces: payments, orders");
    expect(text).toMatch(/Incidents: [1-9]\d*; scheduled spikes: \d+; below-minimum spikes: \d+/);
    expect(text).toContain("inc-001");
  });

  it("writes byte-identical files for the same seed", async () => {
    const first = path.join(tempRoot, "same-a");
    const second = path.join(tempRoot, "same-b");
    for (const out of [first, second]) await run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.1", "--namespaces", "2");
    const file = "errors-2026-01-15.ndjson.gz";
    expect(gunzipSync(await readFile(path.join(second, file))).equals(gunzipSync(await readFile(path.join(first, file))))).toBe(true);
    expect(await readFile(path.join(second, "labels.json"), "utf8")).toBe(await readFile(path.join(first, "labels.json"), "utf8"));
  });

  it("defaults --from to the days that end yesterday", async () => {
    const out = path.join(tempRoot, "default-from");
    await expect(run("--out", out, "--days", "1", "--rate", "0.1", "--namespaces", "1")).resolves.toBe(0);
    const labels = labelsSchema.parse(JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")));
    const end = Date.parse(labels.to);
    // The end is the local midnight that starts today: in the past, and less than a day (+ 1 h for DST) ago.
    expect(end).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - end).toBeLessThan(25 * 3_600_000);
  });

  it("warns about day files of another data set in the folder", async () => {
    const out = path.join(tempRoot, "stale");
    await run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.1", "--namespaces", "1");
    await writeFile(path.join(out, "errors-2025-12-01.ndjson.gz"), "");
    await run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.1", "--namespaces", "1");
    expect(consoleWarn.mock.calls.map((call) => String(call[0])).join("\n")).toContain("errors-2025-12-01.ndjson.gz");
  });

  it("adds the test cases with --cases: kinds in labels.json and in the summary", async () => {
    const out = path.join(tempRoot, "cases");
    await expect(run("--out", out, "--days", "42", "--from", "2026-02-23", "--rate", "0.05", "--seed", "3", "--cases")).resolves.toBe(0);
    const labels = labelsSchema.parse(JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")));
    expect(labels.namespaces).toEqual(["payments", "orders", "checkout", "identity", "search", "notifications", "batch-jobs", "retries", "onboarding"]);
    expect(labels.namespace_kinds).toEqual({
      payments: "steady",
      orders: "noisy",
      checkout: "steady",
      identity: "steady",
      search: "noisy",
      notifications: "steady",
      "batch-jobs": "noisy",
      retries: "noisy",
      onboarding: "newborn",
    });
    expect(labels.incidents.every((incident) => incident.kind !== undefined && incident.reaches_thresholds !== undefined)).toBe(true);
    expect(labels.incidents.some((incident) => incident.kind === "repeat")).toBe(true);
    expect(labels.scheduled.filter((spike) => spike.description.includes("weekly"))).toHaveLength(6);
    expect(logged()).toMatch(/with test cases/);
    expect(logged()).toMatch(/Incident kinds: incident \d+, .*repeat 2/);
    expect(logged()).toMatch(/KIND\s+REACHES THRESHOLDS/);
  });

  it("writes no kinds without --cases", async () => {
    const out = path.join(tempRoot, "no-cases");
    await expect(run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.1", "--namespaces", "2")).resolves.toBe(0);
    const text = await readFile(path.join(out, "labels.json"), "utf8");
    expect(text).not.toMatch(/"kind"|"reaches_thresholds"|"namespace_kinds"/);
    expect(logged()).not.toMatch(/KIND|Incident kinds/);
  });

  it("adds versions and releases with --releases: service.version in the files, the releases in labels.json and the summary", async () => {
    const out = path.join(tempRoot, "releases");
    await expect(run("--out", out, "--days", "3", "--from", "2026-01-13", "--rate", "0.1", "--namespaces", "2", "--releases")).resolves.toBe(0);
    const labels = labelsSchema.parse(JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")));
    // Two namespaces: the first runs versions, the second (the last) none; both errors are the first's.
    expect(labels.releases?.map((release) => [release.namespace, release.version])).toEqual([
      ["payments", "1.4.0"],
      ["payments", "1.5.0"],
      ["payments", "1.6.0"],
    ]);
    expect(labels.release_errors?.map((error) => [error.kind, error.namespace, error.versions])).toEqual([
      ["introduced", "payments", ["1.5.0", "1.6.0"]],
      ["regression", "payments", ["1.4.0", "1.6.0"]],
    ]);
    const lines = await readLines(path.join(out, "errors-2026-01-13.ndjson.gz"));
    const sources = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .map((document) => (document._source ?? document) as Record<string, unknown>);
    const versionOf = (source: Record<string, unknown>) => (source.service as { version?: string } | undefined)?.version;
    const namespaceOf = (source: Record<string, unknown>) => (source.kubernetes as { namespace: string }).namespace;
    expect(new Set(sources.filter((source) => namespaceOf(source) === "payments").map(versionOf))).toEqual(new Set(["1.4.0"]));
    expect(sources.filter((source) => namespaceOf(source) === "orders").every((source) => versionOf(source) === undefined)).toBe(true);
    expect(logged()).toMatch(/with releases/);
    expect(logged()).toMatch(/Releases: payments 1\.5\.0 at .*; payments 1\.6\.0 at /);
  });

  it("adds an outbreak with --outbreak: one root cause in two namespaces at the same windows, in the files, labels.json and the summary", async () => {
    const out = path.join(tempRoot, "outbreak");
    await expect(run("--out", out, "--days", "3", "--from", "2026-01-13", "--rate", "0.1", "--namespaces", "2", "--outbreak")).resolves.toBe(0);
    const labels = labelsSchema.parse(JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")));
    expect(labels.outbreaks).toHaveLength(1);
    const [outbreak] = labels.outbreaks!;
    expect(outbreak!.namespaces).toEqual(["payments", "orders"]);
    expect(labels.incidents.filter((incident) => outbreak!.incidents.includes(incident.id)).map((incident) => [incident.namespace, incident.start])).toEqual(
      expect.arrayContaining([
        ["payments", outbreak!.start],
        ["orders", outbreak!.start],
      ]),
    );
    const lines = (await Promise.all(["13", "14", "15"].map((day) => readLines(path.join(out, `errors-2026-01-${day}.ndjson.gz`))))).flat();
    const cause = /shared-cache\.platform\.svc\.cluster\.local/;
    const namespaces = new Set(
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .map((document) => (document._source ?? document) as { message: string; kubernetes: { namespace: string } })
        .filter((source) => cause.test(source.message))
        .map((source) => source.kubernetes.namespace),
    );
    expect(namespaces).toEqual(new Set(["payments", "orders"]));
    expect(logged()).toMatch(/with an outbreak/);
    expect(logged()).toMatch(/Outbreak: payments and orders from .* to /);
  });

  it("writes no outbreak without --outbreak", async () => {
    const out = path.join(tempRoot, "no-outbreak");
    await expect(run("--out", out, "--days", "1", "--from", "2026-01-15", "--rate", "0.1", "--namespaces", "2")).resolves.toBe(0);
    expect(await readFile(path.join(out, "labels.json"), "utf8")).not.toMatch(/outbreak/);
    expect(logged()).not.toMatch(/with an outbreak|Outbreak:/);
  });

  it("exits 2 with a usage error naming --outbreak and --namespaces when --outbreak has one namespace", async () => {
    const out = path.join(tempRoot, "outbreak-alone");
    await expect(run("--out", out, "--days", "3", "--namespaces", "1", "--outbreak")).resolves.toBe(2);
    expect(stderr()).toContain("--outbreak needs --namespaces 2 or more");
    expect(stderr()).not.toContain("    at ");
    await expect(readdir(out)).rejects.toThrow();
  });

  it("exits 2 with a usage error naming --cases and --days when --cases has fewer than 42 days", async () => {
    const out = path.join(tempRoot, "cases-short");
    await expect(run("--out", out, "--days", "30", "--cases")).resolves.toBe(2);
    expect(stderr()).toContain("--cases needs --days 42 or more");
    expect(stderr()).toContain("got --days 30");
    expect(stderr()).not.toContain("    at ");
    await expect(readdir(out)).rejects.toThrow();
  });

  it.each([
    ["--days 0", ["--days", "0"], "--days must be a whole number from 1 to 366"],
    ["--days abc", ["--days", "abc"], "--days must be a whole number from 1 to 366"],
    ["--days 1.5", ["--days", "1.5"], "--days must be a whole number"],
    ["--days 367", ["--days", "367"], "--days must be a whole number"],
    ["--seed x", ["--seed", "x"], "--seed must be a whole number"],
    ["--from 2026-02-30", ["--from", "2026-02-30"], "--from must be a date as YYYY-MM-DD"],
    ["--from 15.1.2026", ["--from", "15.1.2026"], "--from must be a date as YYYY-MM-DD"],
    ["--namespaces 0", ["--namespaces", "0"], "--namespaces must be a whole number from 1 to 50"],
    ["--rate 0", ["--rate", "0"], "--rate must be a number above 0"],
    ["--rate -1", ["--rate=-1"], "--rate must be a number above 0"],
    ["--rate fast", ["--rate", "fast"], "--rate must be a number above 0"],
  ])("exits 2 with a usage error for %s", async (_name, args, message) => {
    const out = path.join(tempRoot, "invalid");
    await expect(run("--out", out, ...args)).resolves.toBe(2);
    expect(stderr()).toContain(message);
    expect(stderr()).not.toContain("    at ");
    // Nothing was written.
    await expect(readdir(out)).rejects.toThrow();
  });

  it("exits 2 without --out", async () => {
    await expect(run("--days", "1")).resolves.toBe(2);
    expect(stderr()).toContain("--out <dir>");
  });
});
