import { describe, expect, it } from "vitest";
import type { DigestContent } from "@/lib/digest/contract";
import { runCli } from "@/test/support/run-cli";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// peaks digest as a child process: what it prints, and the usage errors it refuses with exit 2.

const SEVERAL_COMMANDS_MS = 180_000;

describe.each(databaseKinds)("peaks digest on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const peaks = (...args: string[]) => runCli(db().target, args);

  it(
    "prints a due date's digest as JSON, HTML and one CSV table",
    async () => {
      const json = await peaks("digest", "--date", "2026-01-15", "--format", "json");
      expect([json.code, json.stderr]).toEqual([0, ""]);
      const content = JSON.parse(json.stdout) as DigestContent;
      expect(content).toMatchObject({ date: "2026-01-15", localTime: "08:00", period: { from: "2026-01-14T07:00:00.000Z", to: "2026-01-15T07:00:00.000Z" } });
      expect(content.headline).toBe("No problem");

      const html = await peaks("digest", "--date", "2026-01-15");
      expect(html.code).toBe(0);
      expect(html.stdout).toContain("<h1");
      expect(html.stdout).toContain("Daily digest of 2026-01-15");

      const csv = await peaks("digest", "--date", "2026-01-15", "--format", "csv", "--table", "versions");
      expect([csv.code, csv.stdout]).toEqual([0, "namespace,version,first_seen,errors\r\n"]);
    },
    SEVERAL_COMMANDS_MS,
  );

  it(
    "refuses a date that is not one, a date not due yet and --table without CSV, with exit 2",
    async () => {
      const notADate = await peaks("digest", "--date", "2026-02-30");
      expect([notADate.code, notADate.stdout]).toEqual([2, ""]);
      expect(notADate.stderr).toContain('--date must be a date written YYYY-MM-DD, not "2026-02-30"');
      const future = await peaks("digest", "--date", "2999-01-01");
      expect(future.code).toBe(2);
      expect(future.stderr).toContain("--date 2999-01-01: its digest covers the 24 h up to 2999-01-01 08:00 Europe/Prague, which has not come yet");
      const table = await peaks("digest", "--table", "problems");
      expect(table.code).toBe(2);
      expect(table.stderr).toContain("--table goes with --format csv");
      const format = await peaks("digest", "--format", "pdf");
      expect(format.code).toBe(2);
    },
    SEVERAL_COMMANDS_MS,
  );
});
