import type { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { buildProgram, main } from "@/cli/main";

// None of these cases reaches a command's action, so no database is opened: commander rejects
// the arguments (or prints help) before any action runs.

let stdoutWrite: MockInstance<typeof process.stdout.write>;
let stderrWrite: MockInstance<typeof process.stderr.write>;

beforeEach(() => {
  stdoutWrite = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  stderrWrite = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(() => {
  stdoutWrite.mockRestore();
  stderrWrite.mockRestore();
  process.exitCode = undefined;
});

function written(spy: MockInstance<typeof process.stdout.write>): string {
  return spy.mock.calls.map(([chunk]) => String(chunk)).join("");
}

describe("main", () => {
  it("resolves 0 for --help and prints the usage to stdout", async () => {
    await expect(main(["node", "peaks", "--help"])).resolves.toBe(0);
    expect(written(stdoutWrite)).toContain("Usage: peaks");
    expect(written(stdoutWrite)).toContain("users");
  });

  it("resolves 0 for the help of a subcommand", async () => {
    await expect(main(["node", "peaks", "users", "create", "--help"])).resolves.toBe(0);
    expect(written(stdoutWrite)).toContain("--email <email>");
  });

  it("resolves 2 for an unknown option and reports it on stderr", async () => {
    await expect(main(["node", "peaks", "--no-such-option"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("unknown option '--no-such-option'");
    expect(written(stderrWrite)).toContain("(run with --help for usage)");
  });

  it("resolves 2 for an unknown command", async () => {
    await expect(main(["node", "peaks", "frobnicate"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("unknown command 'frobnicate'");
  });

  it("resolves 2 for an invalid --role choice", async () => {
    await expect(main(["node", "peaks", "users", "create", "--email", "a@b.c", "--role", "superuser"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("superuser");
    expect(written(stderrWrite)).toContain("viewer, analyst, admin");
  });

  it("resolves 2 for users create without --email", async () => {
    await expect(main(["node", "peaks", "users", "create", "--role", "viewer"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("--email <email>");
  });

  it("resolves 2 for users create without --role", async () => {
    await expect(main(["node", "peaks", "users", "create", "--email", "a@b.c"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("--role <role>");
  });

  it("resolves 2 for an invalid --format choice", async () => {
    await expect(main(["node", "peaks", "stats", "--format", "xml"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("xml");
  });

  it("resolves 2 for a non-numeric --idle-minutes, without a stack trace", async () => {
    await expect(main(["node", "peaks", "db", "serve", "--idle-minutes", "abc"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("--idle-minutes must be a number of minutes");
    expect(written(stderrWrite)).not.toContain("    at ");
  });

  it("resolves 2 for a negative --idle-minutes", async () => {
    await expect(main(["node", "peaks", "db", "serve", "--idle-minutes=-5"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("--idle-minutes must be a number of minutes");
  });

  it("resolves 2 for an unknown --source", async () => {
    await expect(main(["node", "peaks", "ingest", "--source", "kafka"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("Allowed choices are es, file");
  });

  it("resolves 2 naming the key for an unknown or non-numeric threshold, before opening a database", async () => {
    await expect(main(["node", "peaks", "thresholds", "set", "min_errors=5"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain('unknown threshold "min_errors"; one of min_ratio_multiplier');
    await expect(main(["node", "peaks", "thresholds", "backtest", "min_absolute_value=many"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain('min_absolute_value: "many" is not a number');
  });

  it("resolves 2 for analyze-period without --from", async () => {
    await expect(main(["node", "peaks", "analyze-period", "--input", "x.ndjson"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("--from <date>");
  });

  it("resolves 2 with a clear message for --source es without ES_URL, before opening a database", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(main(["node", "peaks", "ingest", "--source", "es", "--from", "2026-01-15"])).resolves.toBe(2);
    expect(errors.mock.calls.join("\n")).toContain("--source es needs ES_URL");
    errors.mockRestore();
  });

  it("resolves 2 for --source file without --input", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(main(["node", "peaks", "analyze-period", "--source", "file", "--from", "2026-01-15"])).resolves.toBe(2);
    expect(errors.mock.calls.join("\n")).toContain("--source file needs --input");
    errors.mockRestore();
  });

  it("leaves process.exitCode unset for usage errors", async () => {
    await main(["node", "peaks", "--no-such-option"]);
    expect(process.exitCode).toBeUndefined();
  });
});

describe("buildProgram", () => {
  function walk(command: Command, trail: string[] = []): { path: string; command: Command }[] {
    const here = [...trail, command.name()];
    return [{ path: here.join(" "), command }, ...command.commands.flatMap((child) => walk(child, here))];
  }

  it("is named peaks", () => {
    expect(buildProgram().name()).toBe("peaks");
  });

  it("has every top-level command", () => {
    expect(buildProgram().commands.map((command) => command.name())).toEqual([
      "serve",
      "pipeline",
      "thresholds",
      "db",
      "users",
      "stats",
      "backup",
      "restore",
      "ingest",
      "batch",
      "analyze-period",
      "patterns",
      "enrich",
      "track",
      "source",
      "baseline",
      "windows",
      "show",
      "peaks",
      "maintenance",
      "generate",
      "validate",
    ]);
  });

  it("has the expected subcommands", () => {
    const paths = walk(buildProgram()).map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "peaks db migrate",
        "peaks db serve",
        "peaks db stop",
        "peaks db status",
        "peaks users create",
        "peaks users list",
        "peaks baseline recalc",
        "peaks source check",
        "peaks windows fill",
        "peaks peaks list",
        "peaks thresholds show",
        "peaks thresholds backtest",
        "peaks thresholds set",
        "peaks thresholds restore",
      ]),
    );
  });

  it("gives every command and subcommand a non-empty description", () => {
    const entries = walk(buildProgram());
    expect(entries.length).toBeGreaterThan(8);
    const withoutDescription = entries.filter((entry) => entry.command.description().trim() === "").map((entry) => entry.path);
    expect(withoutDescription).toEqual([]);
  });

  it("gives every option a non-empty description", () => {
    const missing = walk(buildProgram()).flatMap((entry) =>
      entry.command.options.filter((option) => option.description.trim() === "").map((option) => `${entry.path} ${option.flags}`),
    );
    expect(missing).toEqual([]);
  });
});
