import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PeakListItem } from "@/lib/db/peaks";
import type { Jsonified } from "@/lib/http/jsonified";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { dayDocuments, fourWeeksWithIncident, writeLines } from "@/test/support/log-files";
import { runCli } from "@/test/support/run-cli";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// The detection commands end to end: the data is ingested with the CLI itself, then every
// command is run as a child process and judged by its output and exit code.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
// Four weeks with an incident in payments on the last Thursday (see fourWeeksWithIncident).
const { namespaces, days, incidentDay, incidentWindows, plan } = fourWeeksWithIncident(grid);

/** Errors the plan puts into some days of some namespaces. */
function plannedErrors(ofDays: readonly string[], ofNamespaces: readonly string[]): number {
  let total = 0;
  for (const day of ofDays) {
    const { startMs, endMs } = grid.localDayRange(day);
    for (const start of grid.windowsBetween(startMs, endMs)) for (const namespace of ofNamespaces) total += plan(namespace, start);
  }
  return total;
}

const WINDOWS_PER_DAY = 96;
// The first window of the data starts before its first document and the last ends after its
// last one: they are gaps, not counts.
const allWindows = (days.length * WINDOWS_PER_DAY - 2) * namespaces.length;
const allSlots = namespaces.length * 7 * WINDOWS_PER_DAY;

const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-cli-detection-"));
const inputDir = path.join(workDir, "daily");
const extraDir = path.join(workDir, "extra");
const badLineFile = path.join(extraDir, "bad-line.ndjson");

beforeAll(async () => {
  mkdirSync(inputDir);
  mkdirSync(extraDir);
  for (const day of days) await writeLines(path.join(inputDir, `errors-${day}.ndjson.gz`), dayDocuments(grid, day, namespaces, plan));
  // Monday after the data: three good lines around one that is not JSON.
  const line = (timestamp: string, namespace: string) =>
    JSON.stringify({ "@timestamp": timestamp, level: "ERROR", message: "late", kubernetes: { namespace } });
  await writeLines(badLineFile, [
    line("2026-02-02T09:05:00Z", "payments"),
    "{this is not JSON",
    line("2026-02-02T09:20:00Z", "orders"),
    line("2026-02-02T09:06:00Z", "payments"),
    // INFO lines of both namespaces at 09:00 and 09:30: the file proves it covers 09:00–09:30.
    ...["payments", "orders"].flatMap((namespace) =>
      ["2026-02-02T09:00:00Z", "2026-02-02T09:30:00Z"].map((timestamp) =>
        JSON.stringify({ "@timestamp": timestamp, level: "INFO", message: "alive", kubernetes: { namespace } }),
      ),
    ),
  ]);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A peak as `peaks list --format json` prints it. */
type ListedPeak = Jsonified<PeakListItem>;

type TableStatsRow = { table: string; rows: number; from: string | null; to: string | null };

const CLI_TIMEOUT = 180_000;

describe.each(databaseKinds)("the detection commands on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const peaks = (...args: string[]) => runCli(db().target, args);

  it(
    "prints the batch plan on a dry run (21 INIT days, then REGULAR) and writes nothing",
    async () => {
      const result = await peaks("batch", "--all", "--input", inputDir, "--dry-run");
      expect(result.code, result.stderr).toBe(0);
      const [header, rule, ...rows] = result.stdout.trimEnd().split("\n");
      expect(header).toMatch(/^DAY\s+PHASE\s+FILES\s+ACTION$/);
      expect(rule).toMatch(/^-+( +-+){3}$/);
      expect(rows.map((row) => row.split(/\s{2,}/))).toEqual(
        days.map((day, index) => [day, index < 21 ? "INIT" : "REGULAR", `errors-${day}.ndjson.gz`, "ingest"]),
      );
      expect(await db().prisma.peakRawData.count()).toBe(0);
      expect(await db().prisma.ingestedDay.count()).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    "ingests the 28 days with batch --all and skips all of them on a second run",
    async () => {
      const first = await peaks("batch", "--all", "--input", inputDir);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`Ingested 28 days (${plannedErrors(days, namespaces)} error documents, 1 new peaks); skipped 0 days already ingested.`);
      expect(await db().prisma.peakRawData.count()).toBe(allWindows);
      expect(await db().prisma.peakInvestigation.count()).toBe(4);

      const second = await peaks("batch", "--all", "--input", inputDir);
      expect(second.code, second.stderr).toBe(0);
      // The first and last day had a gap at the data's edge: they are read again, and nothing changes.
      expect(second.stdout).toContain(
        `Ingested 2 days (${plannedErrors([days[0]!, days[27]!], namespaces)} error documents, 0 new peaks); skipped 26 days already ingested.`,
      );
      expect(await db().prisma.peakRawData.count()).toBe(allWindows);

      const replan = await peaks("batch", "--all", "--input", inputDir, "--dry-run");
      expect(replan.code, replan.stderr).toBe(0);
      const actions = replan.stdout
        .trimEnd()
        .split("\n")
        .slice(2)
        .map((row) => row.split(/\s{2,}/)[3]);
      expect(actions).toEqual(days.map((_, index) => (index === 0 || index === 27 ? "re-read (had gaps)" : "skip (already ingested)")));
    },
    2 * CLI_TIMEOUT,
  );

  it(
    "lists the gaps: the data's first and last window of each namespace, and shows them on the day",
    async () => {
      const result = await peaks("gaps", "--from", days[0]!, "--to", days[27]!, "--format", "json");
      expect(result.code, result.stderr).toBe(0);
      const first = grid.localDayRange(days[0]!).startMs;
      const last = grid.localDayRange(days[27]!).endMs - grid.windowMs;
      expect(
        (JSON.parse(result.stdout) as { namespace: string; fromMs: number; toMs: number; windows: number }[]).map((gap) => [
          gap.namespace,
          gap.fromMs,
          gap.toMs,
          gap.windows,
        ]),
      ).toEqual(
        namespaces.flatMap((namespace) => [
          [namespace, first, first + grid.windowMs, 1],
          [namespace, last, last + grid.windowMs, 1],
        ]),
      );
      const day = await peaks("show", days[0]!);
      expect(day.stdout).toContain(`Gap (no data read, not a zero): 00:00–00:15, 1 windows: ${namespaces.join(", ")}`);
    },
    CLI_TIMEOUT,
  );

  it(
    "lists the incident's four windows as JSON, the later three continuing the first",
    async () => {
      const result = await peaks("peaks", "list", "--format", "json");
      expect(result.code, result.stderr).toBe(0);
      const list = JSON.parse(result.stdout) as ListedPeak[];
      expect(list.map((peak) => peak.timestamp)).toEqual(incidentWindows.map((start) => new Date(start).toISOString()));
      const [first, ...rest] = list;
      expect(first).toMatchObject({
        namespace: "payments",
        severity: "critical",
        status: "open",
        errorCount: 400,
        ratio: 20,
        requiredRatio: 3,
        continuesPeakId: null,
      });
      expect(first?.referenceCounts).toEqual([20, 20, 20]);
      expect(rest).toHaveLength(3);
      for (const peak of rest) expect(peak).toMatchObject({ namespace: "payments", errorCount: 400, continuesPeakId: first?.id });
    },
    CLI_TIMEOUT,
  );

  it(
    "lists the peaks as CSV: a header line and one line per peak",
    async () => {
      const result = await peaks("peaks", "list", "--format", "csv");
      expect(result.code, result.stderr).toBe(0);
      const [header, ...lines] = result.stdout.trimEnd().split("\n");
      const columns = header?.split(",") ?? [];
      expect(columns.slice(0, 7)).toEqual(["id", "timestamp", "namespace", "severity", "status", "errorCount", "baselineMean"]);
      expect(columns).toContain("continuesPeakId");
      expect(lines).toHaveLength(4);
      const stored = await db().prisma.peakInvestigation.findMany({ orderBy: { timestamp: "asc" } });
      const firstId = stored[0]?.id;
      const rows = lines.map((line) => {
        const cells = line.split(",");
        expect(cells).toHaveLength(columns.length);
        return Object.fromEntries(columns.map((column, index) => [column, cells[index]]));
      });
      rows.forEach((row, index) => {
        expect(row).toMatchObject({
          id: String(stored[index]?.id),
          timestamp: new Date(incidentWindows[index]!).toISOString(),
          namespace: "payments",
          severity: stored[index]?.severity,
          status: "open",
          errorCount: "400",
          continuesPeakId: index === 0 ? "" : String(firstId),
        });
      });
      expect(rows[0]).toMatchObject({ severity: "critical", ratio: "20", referenceCounts: "20 20 20" });
    },
    CLI_TIMEOUT,
  );

  it(
    "shows the incident day of payments with its peak windows and their ratio",
    async () => {
      const result = await peaks("show", incidentDay, "--namespace", "payments");
      expect(result.code, result.stderr).toBe(0);
      const firstId = (await db().prisma.peakInvestigation.findFirstOrThrow({ where: { continuesPeakId: null } })).id;
      expect(result.stdout).toContain(`payments: ${plannedErrors([incidentDay], ["payments"])} errors in ${WINDOWS_PER_DAY} windows, 4 peak windows`);
      expect(result.stdout).not.toContain("orders");
      const rowAt = (time: string) => result.stdout.split("\n").find((line) => line.startsWith(`${time} `)) ?? "";
      expect(rowAt("10:00")).toMatch(new RegExp(`^10:00\\s+400\\s.*critical peak #${firstId} \\(×20\\.0 ≥ ×3\\.0\\)$`));
      for (const time of ["10:15", "10:30", "10:45"]) expect(rowAt(time)).toContain(`continues #${firstId}`);
      expect(rowAt("11:00")).not.toContain("peak");
    },
    CLI_TIMEOUT,
  );

  // A date that matches YYYY-MM-DD but is not in the calendar must not roll over into another month.
  it(
    "rejects an impossible date with exit code 2 and a message naming it",
    async () => {
      const result = await peaks("show", "2026-13-45");
      expect(result.stderr).toContain("2026-13-45");
      expect(result.code).toBe(2);
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects a date in the wrong format with exit code 2 and a message naming it",
    async () => {
      const result = await peaks("show", "29.01.2026");
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('"29.01.2026" is not a calendar date');
      expect(result.stdout).toBe("");
    },
    CLI_TIMEOUT,
  );

  it(
    "recomputes the baselines to exactly the incremental ones",
    async () => {
      const result = await peaks("baseline", "recalc");
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Recomputed ${allSlots} slots of 2 namespaces from ${allWindows} windows; largest change of a mean: 0.000000 %`);
    },
    CLI_TIMEOUT,
  );

  it(
    "finds no window to fill on a dry run of windows fill",
    async () => {
      const result = await peaks("windows", "fill", "--dry-run");
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Would add 0 measured zero windows for 2 namespaces between 2026-01-05 00:15:00 +01:00 and 2026-02-01 23:45:00 +01:00");
      expect(await db().prisma.peakRawData.count()).toBe(allWindows);
    },
    CLI_TIMEOUT,
  );

  it(
    "counts the stored windows, slots and peaks in stats --format json",
    async () => {
      const result = await peaks("stats", "--format", "json");
      expect(result.code, result.stderr).toBe(0);
      const stats = JSON.parse(result.stdout) as TableStatsRow[];
      const byTable = new Map(stats.map((row) => [row.table, row]));
      expect(byTable.get("peak_raw_data")).toEqual({
        table: "peak_raw_data",
        rows: allWindows,
        from: "2026-01-04T23:15:00.000Z",
        to: "2026-02-01T22:30:00.000Z",
      });
      expect(byTable.get("aggregation_data")?.rows).toBe(allSlots);
      expect(byTable.get("peak_investigation")).toEqual({
        table: "peak_investigation",
        rows: 4,
        from: new Date(incidentWindows[0]!).toISOString(),
        to: new Date(incidentWindows[3]!).toISOString(),
      });
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects a missing input path with exit code 2, naming it",
    async () => {
      const missing = path.join(workDir, "nonexistent");
      const result = await peaks("ingest", "--input", missing);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Input not found: ${missing}`);
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects a folder of which no line can be used, and a batch whose --from is after its --to, with exit code 2",
    async () => {
      const broken = path.join(workDir, `broken-${kind}`);
      mkdirSync(broken);
      await writeLines(path.join(broken, "logs-2026.02.03.ndjson"), ["{not json", '{"level":"ERROR","message":"no time"}']);
      const unusable = await peaks("batch", "--all", "--input", broken);
      expect(unusable.code).toBe(2);
      expect(unusable.stderr).toContain(
        `Error: No line of ${broken} could be used (2 skipped; the first: ${path.join(broken, "logs-2026.02.03.ndjson")}:1: invalid JSON)`,
      );
      const unusableIngest = await peaks("ingest", "--input", broken);
      expect(unusableIngest.code).toBe(2);
      expect(unusableIngest.stderr).toContain("Error: No line of the input could be used (2 skipped;");
      const reversed = await peaks("batch", "--all", "--input", inputDir, "--from", days[5]!, "--to", days[2]!);
      expect(reversed.code).toBe(2);
      expect(reversed.stderr).toContain(`--from (${days[5]}) is after --to (${days[2]})`);
      expect(await db().prisma.ingestedDay.count()).toBe(days.length);
    },
    CLI_TIMEOUT,
  );

  it(
    "takes the other end of a range given only by --to from where the files' data starts",
    async () => {
      const result = await peaks("ingest", "--input", inputDir, "--to", days[0]!, "--dry-run", "--format", "json");
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { range: { fromMs: number; toMs: number } };
      // The data's first covered window (its 00:00 window is a gap) to the end of the day given.
      expect(report.range).toEqual({ fromMs: grid.localDayRange(days[0]!).startMs + grid.windowMs, toMs: grid.localDayRange(days[0]!).endMs });
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects batch without a phase with exit code 2",
    async () => {
      const result = await peaks("batch", "--input", inputDir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Give exactly one of --init, --regular, --all");
      expect(await db().prisma.ingestedDay.count()).toBe(days.length);
    },
    CLI_TIMEOUT,
  );

  it(
    "reports a bad line with file:line and still stores the other lines' windows",
    async () => {
      const result = await peaks("ingest", "--input", badLineFile);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Error documents: 3;");
      // Only 09:00–09:30 is covered: two windows per namespace, not a day of zeros.
      expect(result.stdout).toContain(`windows stored: ${2 * namespaces.length}, already stored: 0`);
      expect(result.stdout).toContain("Skipped lines: 1 (invalid JSON: 1)");
      expect(result.stdout).toContain(`  ${badLineFile}:2: invalid JSON`);
      const { startMs, endMs } = grid.localDayRange("2026-02-02");
      const stored = await db().prisma.peakRawData.findMany({
        where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) }, errorCount: { gt: 0 } },
        orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
        select: { timestamp: true, namespace: true, errorCount: true },
      });
      expect(stored).toEqual([
        { timestamp: new Date("2026-02-02T09:00:00Z"), namespace: "payments", errorCount: 2 },
        { timestamp: new Date("2026-02-02T09:15:00Z"), namespace: "orders", errorCount: 1 },
      ]);
      expect(await db().prisma.peakRawData.count({ where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) } } })).toBe(2 * namespaces.length);
      // Between the last window of the 28 days (22:30Z) and this file's first (09:00Z) nothing was read: 41 windows a namespace.
      const stats = await peaks("stats");
      expect(stats.code, stats.stderr).toBe(0);
      expect(stats.stdout).toContain("Gaps: 82 windows in 2 namespaces between");
    },
    CLI_TIMEOUT,
  );
});
