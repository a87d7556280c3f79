import type { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { buildProgram, main } from "@/cli/main";
import { UnavailableError } from "@/lib/errors";

// No database is opened here: commander rejects the arguments (or prints help) before any
// action runs, and the commands that do run find `withDatabase` (which withServices opens the
// database with) replaced by a stub that fails the way a test needs.
const withDatabase = vi.hoisted(() => vi.fn());
vi.mock("@/cli/database", () => ({ withDatabase }));

let stdoutWrite: MockInstance<typeof process.stdout.write>;
let stderrWrite: MockInstance<typeof process.stderr.write>;
let consoleError: MockInstance<typeof console.error>;

beforeEach(() => {
  stdoutWrite = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  stderrWrite = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
});

afterEach(() => {
  stdoutWrite.mockRestore();
  stderrWrite.mockRestore();
  consoleError.mockRestore();
  withDatabase.mockReset();
  process.exitCode = undefined;
});

function written(spy: MockInstance<typeof process.stdout.write>): string {
  return spy.mock.calls.map(([chunk]) => String(chunk)).join("");
}

/** Everything the program wrote to standard error, through either route. */
function errorOutput(): string {
  return written(stderrWrite) + consoleError.mock.calls.map((args) => `${args.map(String).join(" ")}\n`).join("");
}

/** Runs `peaks ...args` with the database failing with `error`; resolves the exit code. */
function failWith(error: unknown, ...args: string[]): Promise<number> {
  withDatabase.mockRejectedValue(error);
  return main(["node", "peaks", ...args]);
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

  it("resolves 2 for a gaps range that is reversed or longer than 92 days, before opening the database", async () => {
    await expect(main(["node", "peaks", "gaps", "--from", "2026-03-01", "--to", "2026-02-01"])).resolves.toBe(2);
    await expect(main(["node", "peaks", "gaps", "--from", "1970-01-01", "--to", "2026-02-01"])).resolves.toBe(2);
    expect(withDatabase).not.toHaveBeenCalled();
  });

  it("resolves 2 for an invalid --format choice", async () => {
    await expect(main(["node", "peaks", "stats", "--format", "xml"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("xml");
  });

  it("resolves 2 for a problems period, limit or format it cannot use, naming the flag, before opening the database", async () => {
    await expect(main(["node", "peaks", "problems", "--since", "1w"])).resolves.toBe(2);
    expect(errorOutput()).toContain('Error: --since must be a number of hours or days from 1h to 90d, such as 24h or 7d, not "1w"');
    await expect(main(["node", "peaks", "problems", "--since", "91d"])).resolves.toBe(2);
    expect(errorOutput()).toContain('not "91d"');
    await expect(main(["node", "peaks", "problems", "--limit", "0"])).resolves.toBe(2);
    expect(errorOutput()).toContain('Error: --limit must be a whole number from 1, not "0"');
    await expect(main(["node", "peaks", "problems", "--format", "yaml"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("Allowed choices are table, json, csv");
    await expect(main(["node", "peaks", "problems", "--scope", "wide"])).resolves.toBe(2);
    expect(written(stderrWrite)).toContain("unknown option '--scope'");
    expect(withDatabase).not.toHaveBeenCalled();
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

  it("resolves 2 with commander's message for a wrong flag, also with --verbose", async () => {
    await expect(main(["node", "peaks", "--verbose", "stats", "--no-such-flag"])).resolves.toBe(2);
    expect(errorOutput()).toContain("unknown option '--no-such-flag'");
    expect(errorOutput()).not.toContain("    at ");
    expect(withDatabase).not.toHaveBeenCalled();
  });
});

describe("main on failures", () => {
  it("prints an unexpected error as the one line `Error: <message>` and resolves 1", async () => {
    await expect(failWith(new Error("boom"), "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe("Error: boom\n");
  });

  it("prints an AppError as one line and resolves its exit code", async () => {
    await expect(failWith(new UnavailableError("cannot reach the database at 127.0.0.1:1 (connection refused)"), "stats")).resolves.toBe(9);
    expect(errorOutput()).toBe("Error: cannot reach the database at 127.0.0.1:1 (connection refused)\n");
  });

  it("keeps a multi-line message to its first line, saying that --verbose shows the rest", async () => {
    await expect(failWith(new Error("first line\nsecond line\n  third"), "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe("Error: first line (more with --verbose)\n");
  });

  it("keeps the file name an error carries in the one line", async () => {
    const error = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), { code: "EISDIR", syscall: "read", path: "/tmp/logs" });
    await expect(failWith(error, "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe("Error: EISDIR: illegal operation on a directory, read (/tmp/logs)\n");
  });

  it("does not repeat a file name the message already has", async () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open '/tmp/x.ndjson'"), { code: "ENOENT", path: "/tmp/x.ndjson" });
    await expect(failWith(error, "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe("Error: ENOENT: no such file or directory, open '/tmp/x.ndjson'\n");
  });

  it("reduces a Prisma error to the call and its reason", async () => {
    const message =
      '\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `XX001`. Message: `could not read blocks 0..0 in file "base/5/16688"`';
    const error = Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code: "P2010" });
    await expect(failWith(error, "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe(
      'Error: prisma.$queryRawUnsafe() failed: Raw query failed. Code: `XX001`. Message: `could not read blocks 0..0 in file "base/5/16688"`\n',
    );
  });

  it("prints something that is not an Error as one line", async () => {
    await expect(failWith("a string", "stats")).resolves.toBe(1);
    expect(errorOutput()).toBe("Error: a string\n");
  });

  it.each([
    ["before the command", ["--verbose", "stats"]],
    ["after the command", ["stats", "--verbose"]],
    ["after the command's options", ["stats", "--format", "json", "--verbose"]],
    ["after a subcommand", ["users", "list", "--verbose"]],
  ])("prints the stack with --verbose %s", async (_where, args) => {
    const error = new Error("boom");
    await expect(failWith(error, ...args)).resolves.toBe(1);
    const output = errorOutput();
    expect(output.startsWith("Error: boom\n")).toBe(true);
    expect(output).toContain("    at ");
  });

  it("prints the stack of an AppError with --verbose, and still resolves its exit code", async () => {
    await expect(failWith(new UnavailableError("gone"), "stats", "--verbose")).resolves.toBe(9);
    expect(errorOutput()).toContain("    at ");
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
      "problems",
      "digest",
      "enrich",
      "track",
      "source",
      "baseline",
      "windows",
      "show",
      "gaps",
      "peaks",
      "maintenance",
      "generate",
      "investigate-sample",
      "validate",
      "config",
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
        "peaks config check",
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

  it("documents --verbose in the help of the program and of every command", async () => {
    await expect(main(["node", "peaks", "--help"])).resolves.toBe(0);
    expect(written(stdoutWrite)).toMatch(/--verbose\s+on failure, print details and the stack trace\n/);
    stdoutWrite.mockClear();
    await expect(main(["node", "peaks", "stats", "--help"])).resolves.toBe(0);
    expect(written(stdoutWrite)).toMatch(/Global Options:\n  --verbose/);
  });

  it("gives every option a non-empty description", () => {
    const missing = walk(buildProgram()).flatMap((entry) =>
      entry.command.options.filter((option) => option.description.trim() === "").map((option) => `${entry.path} ${option.flags}`),
    );
    expect(missing).toEqual([]);
  });
});
