import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { main } from "@/cli/main";
import { childProcessEnvironment } from "@/lib/env.js";
import { isConfigCommand, runConfigCommandAlone } from "./config";

// The command as `peaks` runs it (cli/main), on files in a temporary folder.

let consoleLog: MockInstance<typeof console.log>;
let consoleError: MockInstance<typeof console.error>;
let stderrWrite: MockInstance<typeof process.stderr.write>;
let tempRoot: string;
let validFile: string;
let brokenFile: string;

beforeAll(async () => {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), "peaks-config-check-"));
  const values = await readFile(path.join(import.meta.dirname, "..", "..", "values.yaml"), "utf8");
  validFile = path.join(tempRoot, "valid.yaml");
  await writeFile(validFile, values);
  brokenFile = path.join(tempRoot, "broken.yaml");
  await writeFile(brokenFile, values.replace(/^window_minutes: 15$/m, "window_minutes: 7").replace(/^ {2}enabled: auto$/m, "  enabled: sometimes"));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

beforeEach(() => {
  consoleLog = vi.spyOn(console, "log").mockImplementation(() => {});
  consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
  stderrWrite = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(() => {
  consoleLog.mockRestore();
  consoleError.mockRestore();
  stderrWrite.mockRestore();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

const printed = () => consoleLog.mock.calls.map((call) => call.map(String).join(" ")).join("\n");
const errors = () =>
  [...consoleError.mock.calls.map((call) => call.map(String).join(" ")), ...stderrWrite.mock.calls.map(([chunk]) => String(chunk))].join("\n");
const run = (...args: string[]) => main(["node", "peaks", "config", "check", ...args]);

describe("peaks config check", () => {
  it("prints the configuration in effect and exits 0 for a valid file", async () => {
    expect(await run("--config", validFile)).toBe(0);
    expect(printed()).toMatch(/valid\.yaml: valid; environment: valid/);
    expect(printed()).toContain("Values (");
    expect(printed()).toMatch(/^ {2}CRON_SECRET +<not set>$/m);
    expect(printed()).toContain("Problems: none");
  });

  it("lists every problem with its line and key path and exits 7", async () => {
    expect(await run("--config", brokenFile)).toBe(7);
    expect(printed()).toContain("Problems (2):");
    expect(printed()).toMatch(/broken\.yaml:\d+: window_minutes: must divide 60/);
    expect(printed()).toMatch(/broken\.yaml:\d+: scheduler\.enabled: must be auto, true or false/);
    expect(errors()).toContain("2 problems in the configuration or the environment (listed above)");
  });

  it("names an environment problem's variable and never prints a secret", async () => {
    vi.stubEnv("CRON_SECRET", "too-short");
    vi.stubEnv("AI_API_KEY", "sk-live-hunter2hunter2");
    expect(await run("--config", validFile)).toBe(7);
    expect(printed()).toContain("CRON_SECRET: must be at least 16 characters");
    expect(printed()).toMatch(/^ {2}AI_API_KEY +<set, redacted>$/m);
    expect(printed()).not.toContain("hunter2");
    expect(printed()).not.toContain("too-short");
  });

  it("prints a JSON document with --format json, redacted too", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://peaks:hunter2@db.internal:5432/peaks");
    expect(await run("--config", brokenFile, "--format", "json")).toBe(7);
    const document = JSON.parse(printed()) as { isValid: boolean; environment: Record<string, unknown>; problems: { keyPath?: string }[] };
    expect(document.isValid).toBe(false);
    expect(document.environment.DATABASE_URL).toBe("postgresql://peaks:redacted@db.internal:5432/peaks");
    expect(document.problems.map((problem) => problem.keyPath)).toEqual(["window_minutes", "scheduler.enabled"]);
    expect(printed()).not.toContain("hunter2");
  });

  it("reads the file PEAKS_CONFIG names when --config is not given", async () => {
    vi.stubEnv("PEAKS_CONFIG", brokenFile);
    expect(await run()).toBe(7);
    expect(printed()).toContain("window_minutes: must divide 60");
  });

  it("reports a file that does not exist and exits 7", async () => {
    expect(await run("--config", path.join(tempRoot, "missing.yaml"))).toBe(7);
    expect(printed()).toMatch(/missing\.yaml: cannot be read: ENOENT/);
  });

  it("exits 2 for a wrong flag or format", async () => {
    expect(await run("--colour")).toBe(2);
    expect(errors()).toContain("unknown option '--colour'");
    expect(await run("--format", "yaml")).toBe(2);
  });

  it("runs alone, as cli/index.ts runs it when the environment does not load", async () => {
    expect(isConfigCommand(["node", "peaks", "--verbose", "config", "check"])).toBe(true);
    expect(isConfigCommand(["node", "peaks", "stats"])).toBe(false);
    vi.stubEnv("ES_URL", "elastic.example:9200");
    expect(await runConfigCommandAlone(["node", "peaks", "config", "check", "--config", brokenFile])).toBe(7);
    expect(printed()).toContain("ES_URL: must be a URL starting with http:// or https://");
    expect(printed()).toContain("window_minutes: must divide 60");
  });
});

describe("peaks config check as a process", () => {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const peaks = (args: string[], environment: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", path.join(root, "cli", "index.ts"), ...args],
        { cwd: root, env: childProcessEnvironment(environment), timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr }),
      );
    });

  it("lists an invalid environment with the file's problems, where other commands stop at the environment", async () => {
    const checked = await peaks(["config", "check", "--config", brokenFile], { CRON_SECRET: "too-short" });
    expect(checked.code).toBe(7);
    expect(checked.stdout).toContain("CRON_SECRET: must be at least 16 characters");
    expect(checked.stdout).toContain("window_minutes: must divide 60");
    expect(checked.stderr).toContain("Error: 3 problems in the configuration or the environment (listed above)");
    const other = await peaks(["stats"], { CRON_SECRET: "too-short" });
    expect(other.code).toBe(7);
    expect(other.stderr).toContain("CRON_SECRET: must be at least 16 characters");
    expect(other.stdout).toBe("");
  }, 120_000);
});
