import { assertRole, type Actor } from "@/lib/roles";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { runBacktest, type BacktestNamespace, type BacktestPoint } from "@/lib/pipeline/backtest";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { WindowGrid } from "@/lib/pipeline/time";
import {
  BACKTEST_POINTS,
  BACKTEST_WARMUP_DAYS,
  backtestSchema,
  restoreThresholdsSchema,
  saveThresholdsSchema,
  thresholdValuesSchema,
  type BacktestRequest,
  type RestoreThresholdsInput,
  type SaveThresholdsInput,
  type ThresholdValues,
} from "@/lib/thresholds/schema";
import { recordAudit } from "./audit";
import type { Prisma, PrismaClient } from "./client";
import { storedOverDefaults } from "./detection-store";

export { backtestSchema, restoreThresholdsSchema, saveThresholdsSchema } from "@/lib/thresholds/schema";

const DAY_MS = 86_400_000;
const thresholdKeys = Object.keys(thresholdValuesSchema.shape) as (keyof ThresholdValues)[];

export type ThresholdChange = { key: keyof ThresholdValues; from: number; to: number };

export type ThresholdVersion = {
  /** Null: the values.yaml defaults, in force until a version is saved. */
  version: number | null;
  values: ThresholdValues;
  comment: string | null;
  createdBy: string | null;
  createdAt: string | null;
  /** What changed against the version before it (the defaults for the first). */
  changes: ThresholdChange[];
};

export type ThresholdsState = { current: ThresholdVersion; history: ThresholdVersion[]; defaults: ThresholdValues };

function changesBetween(before: ThresholdValues, after: ThresholdValues): ThresholdChange[] {
  return thresholdKeys.filter((key) => before[key] !== after[key]).map((key) => ({ key, from: before[key], to: after[key] }));
}

/** The thresholds in force and every saved version, newest first, ending with the defaults (viewers and above). */
export async function getThresholds(prisma: PrismaClient, actor: Actor | null, defaults: PeakDetectionSettings): Promise<ThresholdsState> {
  assertRole(actor, "viewer");
  const rows = await prisma.thresholdSetting.findMany({
    orderBy: { id: "asc" },
    select: { id: true, values: true, comment: true, createdAt: true, createdBy: { select: { email: true, name: true } } },
  });
  const base: ThresholdVersion = { version: null, values: { ...defaults }, comment: "values.yaml", createdBy: null, createdAt: null, changes: [] };
  const history: ThresholdVersion[] = [base];
  let previous = base.values;
  for (const row of rows) {
    const values = storedOverDefaults(row.values, defaults);
    history.push({
      version: row.id,
      values,
      comment: row.comment,
      createdBy: row.createdBy ? (row.createdBy.name ?? row.createdBy.email) : null,
      createdAt: row.createdAt.toISOString(),
      changes: changesBetween(previous, values),
    });
    previous = values;
  }
  history.reverse();
  return { current: history[0]!, history, defaults: { ...defaults } };
}

async function saveVersion(
  prisma: PrismaClient,
  actor: Actor,
  defaults: PeakDetectionSettings,
  values: ThresholdValues,
  comment: string | null,
  check: (latest: { id: number; values: ThresholdValues } | null) => void,
  audit: { action: string; details: Prisma.InputJsonObject },
): Promise<ThresholdVersion> {
  return prisma.$transaction(async (transaction) => {
    // Writers queue here, so the version read next is the newest committed one.
    await transaction.$executeRawUnsafe("LOCK TABLE threshold_settings IN SHARE ROW EXCLUSIVE MODE");
    const latestRow = await transaction.thresholdSetting.findFirst({ orderBy: { id: "desc" }, select: { id: true, values: true } });
    const latest = latestRow ? { id: latestRow.id, values: storedOverDefaults(latestRow.values, defaults) } : null;
    check(latest);
    const inForce = latest?.values ?? { ...defaults };
    const changes = changesBetween(inForce, values);
    if (changes.length === 0) {
      throw new InvalidInputError(`The values are those of ${latest ? `version ${latest.id}` : "values.yaml"}, already in force`, [
        { path: "values", message: "are the same as the thresholds in force" },
      ]);
    }
    const row = await transaction.thresholdSetting.create({
      data: { values, comment, createdById: actor.kind === "user" ? actor.id : null },
      select: { id: true, createdAt: true, createdBy: { select: { email: true, name: true } } },
    });
    await recordAudit(transaction, actor, {
      action: audit.action,
      entityType: "thresholds",
      entityId: row.id,
      details: { ...audit.details, previousVersion: latest?.id ?? null, before: inForce, after: values },
    });
    return {
      version: row.id,
      values,
      comment,
      createdBy: row.createdBy ? (row.createdBy.name ?? row.createdBy.email) : null,
      createdAt: row.createdAt.toISOString(),
      changes,
    };
  });
}

/** Saves new thresholds as the next version (admins). Refused when another version was saved since the form was loaded. */
export async function saveThresholds(
  prisma: PrismaClient,
  actor: Actor | null,
  defaults: PeakDetectionSettings,
  input: SaveThresholdsInput,
): Promise<ThresholdVersion> {
  assertRole(actor, "admin");
  const parsed = parseInput(saveThresholdsSchema, input);
  return saveVersion(
    prisma,
    actor,
    defaults,
    parsed.values,
    parsed.comment ?? null,
    (latest) => {
      const inForce = latest?.id ?? null;
      if (inForce !== parsed.basedOnVersion) {
        throw new ConflictError(
          `Version ${inForce ?? "values.yaml"} is in force now, not ${parsed.basedOnVersion ?? "values.yaml"} that these values were based on. Review it and save again.`,
        );
      }
    },
    { action: "thresholds.save", details: { comment: parsed.comment ?? null } },
  );
}

/** Puts an earlier version's values in force again, as a new version (admins). */
export async function restoreThresholds(
  prisma: PrismaClient,
  actor: Actor | null,
  defaults: PeakDetectionSettings,
  input: RestoreThresholdsInput,
): Promise<ThresholdVersion> {
  assertRole(actor, "admin");
  const parsed = parseInput(restoreThresholdsSchema, input);
  const source = await prisma.thresholdSetting.findUnique({ where: { id: parsed.version }, select: { id: true, values: true } });
  if (!source) throw new NotFoundError(`No thresholds version ${parsed.version}`);
  return saveVersion(prisma, actor, defaults, storedOverDefaults(source.values, defaults), parsed.comment ?? `Restored version ${source.id}`, () => undefined, {
    action: "thresholds.restore",
    details: { restoredVersion: source.id },
  });
}

export type BacktestAnswer = {
  from: number;
  to: number;
  days: number;
  warmupDays: number;
  currentVersion: number | null;
  current: ThresholdValues;
  proposed: ThresholdValues;
  totals: { current: number; proposed: number; added: number; removed: number; stored: number };
  namespaces: (BacktestNamespace & { stored: number })[];
  /** The chart of one namespace: the asked one, or the one whose peaks change most. */
  chart: { namespace: string; bucketMinutes: number; points: BacktestPoint[] } | null;
};

type PackedWindows = { namespace: string; starts: number[]; counts: number[] };

/**
 * What the proposed thresholds would have flagged over the last `days` days of stored windows,
 * next to what the thresholds in force flag over the same windows (admins). The range ends with
 * the newest stored window, so a database that stopped receiving data can still be tuned.
 */
export async function backtestThresholds(
  prisma: PrismaClient,
  actor: Actor | null,
  context: { grid: WindowGrid; defaults: PeakDetectionSettings },
  input: BacktestRequest,
): Promise<BacktestAnswer> {
  assertRole(actor, "admin");
  const parsed = parseInput(backtestSchema, input);
  const [newest, stateRow] = await Promise.all([
    prisma.peakRawData.findFirst({
      where: parsed.namespace ? { namespace: parsed.namespace } : {},
      orderBy: { timestamp: "desc" },
      select: { timestamp: true },
    }),
    prisma.thresholdSetting.findFirst({ orderBy: { id: "desc" }, select: { id: true, values: true } }),
  ]);
  if (!newest) {
    if (parsed.namespace) throw new NotFoundError(`No windows of namespace ${parsed.namespace} are stored`);
    throw new InvalidInputError("There are no stored windows to backtest against; ingest logs first", [{ path: "days", message: "no stored windows" }]);
  }
  const current = stateRow ? storedOverDefaults(stateRow.values, context.defaults) : { ...context.defaults };
  const toMs = newest.timestamp.getTime() + context.grid.windowMs;
  const fromMs = toMs - parsed.days * DAY_MS;
  const warmupFromMs = fromMs - BACKTEST_WARMUP_DAYS * DAY_MS;
  // One row per namespace with its windows as arrays: far fewer rows to decode than one per window.
  const filter = parsed.namespace ? "AND namespace = $3" : "";
  const params: unknown[] = [new Date(warmupFromMs), new Date(toMs), ...(parsed.namespace ? [parsed.namespace] : [])];
  const [packed, storedPeaks] = await Promise.all([
    prisma.$queryRawUnsafe<PackedWindows[]>(
      `SELECT namespace,
              array_agg((extract(epoch FROM timestamp) * 1000)::float8 ORDER BY timestamp) AS starts,
              array_agg(error_count ORDER BY timestamp) AS counts
         FROM peak_raw_data
        WHERE timestamp >= $1 AND timestamp < $2 ${filter}
        GROUP BY namespace`,
      ...params,
    ),
    prisma.peakInvestigation.groupBy({
      by: ["namespace"],
      where: { timestamp: { gte: new Date(fromMs), lt: new Date(toMs) }, ...(parsed.namespace ? { namespace: parsed.namespace } : {}) },
      _count: { _all: true },
    }),
  ]);
  const windows = new Map(packed.map((row) => [row.namespace, row.starts.map((start, index) => ({ start: Number(start), count: row.counts[index]! }))]));
  const first = runBacktest({
    windows,
    fromMs,
    toMs,
    grid: context.grid,
    current,
    proposed: parsed.values,
    seriesFor: new Set(parsed.namespace ? [parsed.namespace] : []),
    maxPoints: BACKTEST_POINTS,
  });
  let chartNamespace = parsed.namespace ?? null;
  let result = first;
  if (!chartNamespace && first.namespaces.length > 0) {
    const changed = (entry: BacktestNamespace) => entry.added.length + entry.removed.length;
    chartNamespace = [...first.namespaces].sort((left, right) => changed(right) - changed(left) || right.proposed - left.proposed)[0]!.namespace;
    // The chart's series is computed for its namespace alone: a second pass over one namespace is cheap.
    result = runBacktest({
      windows: new Map([[chartNamespace, windows.get(chartNamespace) ?? []]]),
      fromMs,
      toMs,
      grid: context.grid,
      current,
      proposed: parsed.values,
      seriesFor: new Set([chartNamespace]),
      maxPoints: BACKTEST_POINTS,
    });
  }
  const storedOf = new Map(storedPeaks.map((group) => [group.namespace, group._count._all]));
  const series = chartNamespace ? result.series.get(chartNamespace) : undefined;
  return {
    from: fromMs,
    to: toMs,
    days: parsed.days,
    warmupDays: BACKTEST_WARMUP_DAYS,
    currentVersion: stateRow?.id ?? null,
    current,
    proposed: parsed.values,
    totals: { ...first.totals, stored: [...storedOf.values()].reduce((sum, count) => sum + count, 0) },
    namespaces: first.namespaces.map((entry) => ({ ...entry, stored: storedOf.get(entry.namespace) ?? 0 })),
    chart: chartNamespace && series ? { namespace: chartNamespace, bucketMinutes: series.bucketMs / 60_000, points: series.points } : null,
  };
}
