import { actorLabel, assertRole, type Actor } from "@/lib/roles";
import type { FrozenConfig } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit";
import type { Db } from "@/lib/db/client";
import {
  acknowledgePeaksSince,
  findAcceptance,
  findAcceptancesAfter,
  findNewestActiveAcceptance,
  findOldestWindow,
  findOpenPeaksSince,
  findWindowsSince,
  insertAcceptance,
  listAcceptances,
  markReverted,
  setBaselineValues,
  setBaselineValuesToCounts,
  shiftSamplesBefore,
  type SlotShift,
} from "@/lib/db/new-normal";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import {
  acceptNewNormalSchema,
  listNewNormalSchema,
  newNormalIdSchema,
  type AcceptNewNormalInput,
  type NewNormalPreview,
  type NewNormalRecord,
} from "@/lib/new-normal/contract";
import { parseSlotKey, slotKey, withdrawSample } from "@/lib/pipeline/baseline";
import { acceptanceShifts, levelOffsetOf, MIN_ACCEPTANCE_WINDOWS } from "@/lib/pipeline/new-normal";
import { describeInstant, type SlotKeys } from "@/lib/pipeline/time";
import { recalculateNamespace, TRANSACTION_OPTIONS, type RecalculationReport } from "./baseline";
import { gridOf } from "@/lib/config/grid";
import { withWindowsLock } from "./run-lock";
import { loadBaseline } from "@/lib/detection/store";

const LIST_LIMIT = 200;

/**
 * Accepting a namespace's new level (lib/pipeline/new-normal.ts) in the database. Every sample
 * of the namespace's slots from before the start moves by its slot's shift: the stored windows'
 * baseline values and the slots' retired means; the windows since the start add their counts;
 * then the slots are recalculated from those values. The slots are thereby exactly what
 * `baseline recalc` gives, and taking the acceptance back undoes each step. The open peaks since
 * the start are acknowledged: the incident the level began with stays on record when a later
 * correction judges its windows against the new normal (taking back leaves their status). It
 * runs under the windows lock, so no run judges windows against a half-shifted baseline.
 */

/** Shifts by slot key as the slots they move, each by its shift × `direction`. */
function slotShiftsOf(shifts: ReadonlyMap<string, number>, direction: 1 | -1): SlotShift[] {
  return [...shifts].map(([key, shift]) => {
    const { dayOfWeek, hourOfDay, quarterHour } = parseSlotKey(key);
    return { dayOfWeek, hourOfDay, quarterHour, shift: direction * shift };
  });
}

/**
 * The shifts of the new normals in force that start after `fromMs`, as a function per namespace
 * (undefined for a namespace without any): the errors a window before their start adds to its
 * slot on top of its own value (lib/pipeline/detect.ts contributionShift).
 */
export async function findShiftsAfter(
  db: Parameters<typeof findAcceptancesAfter>[0],
  fromMs: number,
): Promise<(namespace: string) => ((start: number, keys: SlotKeys) => number) | undefined> {
  const byNamespace = new Map<string, { fromMs: number; shifts: Record<string, number> }[]>();
  for (const acceptance of await findAcceptancesAfter(db, fromMs)) {
    const list = byNamespace.get(acceptance.namespace) ?? [];
    list.push(acceptance);
    byNamespace.set(acceptance.namespace, list);
  }
  return (namespace) => {
    const acceptances = byNamespace.get(namespace);
    if (!acceptances) return undefined;
    return (start, keys) => {
      const key = slotKey(namespace, keys);
      return acceptances.reduce((sum, acceptance) => (start < acceptance.fromMs ? sum + (acceptance.shifts[key] ?? 0) : sum), 0);
    };
  };
}

type Resolved = { namespace: string; fromMs: number; peakId: number | null };

async function resolveStart(db: Db, config: FrozenConfig, input: { peakId?: number; namespace?: string; from?: string }): Promise<Resolved> {
  const grid = gridOf(config);
  if (input.peakId !== undefined) {
    const peak = await db.prisma.peakInvestigation.findUnique({
      where: { id: input.peakId },
      select: { namespace: true, timestamp: true, continuesPeak: { select: { timestamp: true } } },
    });
    if (!peak) throw new NotFoundError(`Peak ${input.peakId} does not exist`);
    // From the first window of the incident: its plateau's first peak.
    return { namespace: peak.namespace, fromMs: (peak.continuesPeak ?? peak).timestamp.getTime(), peakId: input.peakId };
  }
  const fromMs = Date.parse(input.from!);
  if (grid.windowStartOf(fromMs) !== fromMs) {
    throw new InvalidInputError(
      `from must be the start of a window (${config.window_minutes}-minute windows): the one it falls in starts ${describeInstant(grid.windowStartOf(fromMs), grid)}`,
      [{ path: "from", message: "not the start of a window" }],
    );
  }
  return { namespace: input.namespace!, fromMs, peakId: null };
}

/** Measures (preview) or accepts the new level of a namespace from a window on (analysts and admins). */
export async function acceptNewNormal(
  db: Db,
  config: FrozenConfig,
  actor: Actor | null,
  input: AcceptNewNormalInput,
  options: { now?: () => Date } = {},
): Promise<{ preview: NewNormalPreview } | { accepted: NewNormalRecord }> {
  assertRole(actor, "analyst");
  const parsed = parseInput(acceptNewNormalSchema, input);
  const now = (options.now ?? (() => new Date()))();
  const grid = gridOf(config);
  const { namespace, fromMs, peakId } = await resolveStart(db, config, parsed);
  const localTime = (instantMs: number) => describeInstant(instantMs, grid);
  if (fromMs > now.getTime()) throw new InvalidInputError("from lies in the future", [{ path: "from", message: "in the future" }]);

  const measure = async (db: Parameters<typeof loadBaseline>[0]) => {
    // Every sample before the start is shifted, retired ones included: none may be from after it.
    const oldest = await findOldestWindow(db, namespace);
    if (oldest === null) throw new NotFoundError(`No windows of ${namespace} are stored`);
    if (oldest > fromMs) {
      throw new InvalidInputError(`The oldest stored window of ${namespace} starts ${localTime(oldest)}: choose a start from then on`, [
        { path: "from", message: "before the stored windows" },
      ]);
    }
    const windows = await findWindowsSince(db, namespace, fromMs);
    if (windows.length < MIN_ACCEPTANCE_WINDOWS) {
      throw new InvalidInputError(
        `The new level of ${namespace} is measured on its windows since ${localTime(fromMs)}: ${windows.length} ${windows.length === 1 ? "is" : "are"} stored, at least ${MIN_ACCEPTANCE_WINDOWS} are needed. Try again when more are stored.`,
        [{ path: "from", message: `${windows.length} windows stored since` }],
      );
    }
    const baseline = await loadBaseline(db, [namespace]);
    for (const window of windows) withdrawSample(baseline, namespace, grid.slotOf(window.start), window.baselineValue ?? window.count);
    const levelOffset = levelOffsetOf(windows, baseline, namespace, grid)!;
    return { windows, levelOffset, shifts: acceptanceShifts(baseline, namespace, levelOffset, 60 / grid.windowMinutes) };
  };

  if (parsed.preview) {
    const { windows, levelOffset, shifts } = await measure(db.prisma);
    const openPeaks = await findOpenPeaksSince(db.prisma, namespace, fromMs);
    return { preview: { namespace, from: new Date(fromMs).toISOString(), levelOffset, windows: windows.length, slots: shifts.size, openPeaks } };
  }

  const accepted = await withWindowsLock(db, config, "accept new normal", () =>
    db.prisma.$transaction(async (transaction) => {
      const { windows, levelOffset, shifts } = await measure(transaction);
      await shiftSamplesBefore(transaction, namespace, fromMs, slotShiftsOf(shifts, 1));
      const acknowledged = await acknowledgePeaksSince(transaction, namespace, fromMs);
      await setBaselineValuesToCounts(transaction, namespace, fromMs);
      await recalculateNamespace(transaction, namespace, emptyReport());
      const record = await insertAcceptance(transaction, {
        namespace,
        fromMs,
        levelOffset,
        windows: windows.length,
        slotShifts: shifts,
        previousValues: new Map(windows.map((window) => [window.start, window.baselineValue])),
        peakId,
        comment: parsed.comment ?? null,
        acceptedBy: actorLabel(actor),
        acceptedAt: now,
      });
      await recordAudit(transaction, actor, {
        action: "baseline.accept_new_normal",
        entityType: "namespace",
        entityId: namespace,
        details: {
          acceptance: record.id,
          from: record.from,
          levelOffset,
          windows: windows.length,
          acknowledgedPeaks: acknowledged,
          ...(peakId === null ? {} : { peakId }),
        },
      });
      return record;
    }, TRANSACTION_OPTIONS),
  );
  return { accepted };
}

/** Takes an accepted new normal back (analysts and admins): the newest of its namespace first, and only while its windows are stored. */
export async function takeBackNewNormal(
  db: Db,
  config: FrozenConfig,
  actor: Actor | null,
  id: number,
  options: { now?: () => Date } = {},
): Promise<NewNormalRecord> {
  assertRole(actor, "analyst");
  const acceptanceId = parseInput(newNormalIdSchema, id);
  const now = (options.now ?? (() => new Date()))();
  const grid = gridOf(config);
  const localTime = (instantMs: number) => describeInstant(instantMs, grid);
  return withWindowsLock(db, config, "take back new normal", () =>
    db.prisma.$transaction(async (transaction) => {
      const found = await findAcceptance(transaction, acceptanceId);
      if (!found) throw new NotFoundError(`Accepted new normal ${acceptanceId} does not exist`);
      const { record, slotShifts, previousValues } = found;
      if (record.revertedAt !== null) {
        throw new ConflictError(
          `Accepted new normal ${acceptanceId} was already taken back (${localTime(Date.parse(record.revertedAt))}, by ${record.revertedBy})`,
        );
      }
      const newest = await findNewestActiveAcceptance(transaction, record.namespace);
      if (newest && newest.id !== record.id) {
        throw new ConflictError(
          `A later new normal of ${record.namespace} (#${newest.id}, from ${localTime(Date.parse(newest.from))}) is in force: take that one back first`,
        );
      }
      const fromMs = Date.parse(record.from);
      const oldest = await findOldestWindow(transaction, record.namespace);
      if (oldest === null || oldest > Math.min(fromMs, ...previousValues.keys())) {
        throw new ConflictError(
          `The windows of ${record.namespace} since ${localTime(fromMs)} are no longer all stored (raw data retention), so this new normal can no longer be taken back exactly`,
        );
      }
      await shiftSamplesBefore(transaction, record.namespace, fromMs, slotShiftsOf(slotShifts, -1));
      await setBaselineValues(transaction, record.namespace, previousValues);
      await recalculateNamespace(transaction, record.namespace, emptyReport());
      const reverted = await markReverted(transaction, acceptanceId, actorLabel(actor), now);
      await recordAudit(transaction, actor, {
        action: "baseline.take_back_new_normal",
        entityType: "namespace",
        entityId: record.namespace,
        details: { acceptance: acceptanceId, from: record.from, levelOffset: record.levelOffset },
      });
      return reverted;
    }, TRANSACTION_OPTIONS),
  );
}

/** Accepted new normals, newest first (viewers and above). */
export async function listNewNormals(db: Db, actor: Actor | null, input: { namespace?: string } = {}): Promise<NewNormalRecord[]> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listNewNormalSchema, input);
  return listAcceptances(db, { ...parsed, limit: LIST_LIMIT });
}

const emptyReport = (): RecalculationReport => ({ namespaces: 1, windows: 0, slots: 0, largestMeanDifference: 0 });
