import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import {
  batchFolder,
  differingSlots,
  dumpDetectionState,
  generateSet,
  withFloatTolerance,
  writeByUtcDate,
  type DetectionState,
} from "@/test/support/completeness";
import { runCli, startCli } from "@/test/support/run-cli";
import { createTestDatabase, databaseKinds, type DatabaseKind, useMigratedDatabase } from "@/test/support/test-database";
import { planBatch, readFolder, runBatch } from "./batch";

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-forced-batch-"));
const inputDir = path.join(workDir, "by-utc-date");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// 25 local days, daily exports named by UTC date: 21 INIT days, then 4 REGULAR days with incidents.
const FIRST_REGULAR_DAY = "2026-09-22";

beforeAll(() => {
  mkdirSync(inputDir, { recursive: true });
  const set = generateSet({ timeZone: config.timezone, from: "2026-09-01", days: 25, namespaces: 3, rate: 0.3 });
  writeByUtcDate(inputDir, set.documents);
}, 120_000);

/** What a peak is, whatever its id: the comparison of forced runs. */
const peakIdentity = (state: DetectionState) => state.peaks.map((peak) => [peak.namespace, peak.timestamp.toISOString(), peak.severity, peak.errorCount]);

async function peakIds(prisma: PrismaClient): Promise<Map<string, number>> {
  const peaks = await prisma.peakInvestigation.findMany({ select: { id: true, namespace: true, timestamp: true } });
  return new Map(peaks.map((peak) => [`${peak.namespace}|${peak.timestamp.toISOString()}`, peak.id]));
}

describe.each(databaseKinds)("batch --force on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("gives, three times over the REGULAR days, the peaks and baselines of one forced run, keeping the ids and the triage of the peaks that stay", async () => {
    const database = db();
    const { prisma } = database;
    await batchFolder(database, config, inputDir, { phase: "all" });
    const before = await peakIds(prisma);
    const regularFrom = new Date(Date.parse(`${FIRST_REGULAR_DAY}T00:00:00+02:00`));
    const triaged = await prisma.peakInvestigation.findFirstOrThrow({ where: { timestamp: { gte: regularFrom } }, orderBy: { timestamp: "asc" } });
    await prisma.peakInvestigation.update({ where: { id: triaged.id }, data: { status: "acknowledged" } });

    const folder = await readFolder(config, inputDir);
    const states: DetectionState[] = [];
    for (let run = 0; run < 3; run += 1) {
      const plan = await planBatch(database, config, { input: folder, phase: "regular", fromDay: FIRST_REGULAR_DAY, force: true });
      expect(plan.map((day) => [day.day, day.action])).toEqual(
        ["2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"].map((day) => [day, "re-ingest (--force)"]),
      );
      await runBatch(database, config, plan, () => {}, folder);
      states.push(await dumpDetectionState(prisma));
      const ids = await peakIds(prisma);
      const changedIds = [...ids].filter(([key, id]) => before.has(key) && before.get(key) !== id);
      expect(changedIds).toEqual([]);
      expect(await prisma.peakInvestigation.findUnique({ where: { id: triaged.id }, select: { status: true, timestamp: true, namespace: true } })).toEqual({
        status: "acknowledged",
        timestamp: triaged.timestamp,
        namespace: triaged.namespace,
      });
    }
    const [once, twice, thrice] = states as [DetectionState, DetectionState, DetectionState];
    expect(once.peaks.some((peak) => peak.timestamp >= regularFrom)).toBe(true);
    expect(peakIdentity(twice)).toEqual(peakIdentity(once));
    expect(peakIdentity(thrice)).toEqual(peakIdentity(once));
    expect(differingSlots(once.slots, twice.slots)).toEqual([]);
    expect(differingSlots(once.slots, thrice.slots)).toEqual([]);
    // A peak window adds its slot's ceiling, computed from a mean that withdrawing and adding samples rounds in the last bits.
    expect(thrice.windows).toEqual(withFloatTolerance(once).windows);
  });
});

describe.each(databaseKinds)("peaks batch --regular --force killed with SIGKILL on %s", (kind: DatabaseKind) => {
  const args = ["batch", "--regular", "--force", "--input", inputDir, "--from", FIRST_REGULAR_DAY];
  let clean: DetectionState;

  /** A new database holding the data set ingested once by batch --all, closed again for the CLI. */
  async function ingestedDatabase() {
    const database = await createTestDatabase(kind);
    const opened = await database.open();
    try {
      await batchFolder(opened, config, inputDir, { phase: "all" });
    } finally {
      await opened.close();
    }
    return database;
  }

  async function dumpOf(database: Awaited<ReturnType<typeof createTestDatabase>>) {
    const opened = await database.open();
    try {
      return await dumpDetectionState(opened.prisma);
    } finally {
      await opened.close();
    }
  }

  beforeAll(async () => {
    const reference = await ingestedDatabase();
    try {
      const result = await runCli(reference.target, args);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      clean = await dumpOf(reference);
    } finally {
      await reference.drop();
    }
  }, 180_000);

  // The whole forced run takes about two seconds, most of it starting up: the kill is timed by the
  // progress the CLI prints on standard error, so that it lands inside the batch, while the next
  // day is being read and written.
  const killPoints = [
    { when: "the first day is committed", pattern: /ingested 1\/4 days/, committedDays: 1 },
    { when: "the third day is committed", pattern: /ingested 3\/4 days/, committedDays: 3 },
  ];

  it.each(killPoints)(
    "ends, re-run after a kill when $when, with the state of one clean forced run",
    async ({ pattern, committedDays }) => {
      const database = await ingestedDatabase();
      try {
        const startedAt = new Date();
        const child: ChildProcess = startCli(database.target, args);
        let stderr = "";
        const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
          child.stderr?.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (pattern.test(stderr)) child.kill("SIGKILL");
          });
          child.on("exit", (_code, exitSignal) => resolve(exitSignal));
        });
        expect(signal, stderr).toBe("SIGKILL");
        // The kill interrupted the batch: the days before it are re-ingested, the rest not yet.
        const opened = await database.open();
        try {
          const forcedDays = await opened.prisma.ingestedDay.count({ where: { day: { gte: FIRST_REGULAR_DAY }, ingestedAt: { gte: startedAt } } });
          expect(forcedDays).toBeGreaterThanOrEqual(committedDays);
          expect(forcedDays).toBeLessThan(4);
        } finally {
          await opened.close();
        }
        const rerun = await runCli(database.target, args);
        expect(rerun, rerun.stderr).toMatchObject({ code: 0 });
        const state = await dumpOf(database);
        // Exactly, but for the last bits of the floats derived from baselines (see withFloatTolerance).
        expect({ windows: state.windows, peaks: state.peaks }).toEqual(withFloatTolerance(clean));
        expect(differingSlots(clean.slots, state.slots)).toEqual([]);
      } finally {
        await database.drop();
      }
    },
    180_000,
  );
});
