import { recordAudit } from "@/lib/db/audit";
import type { Db, Prisma } from "@/lib/db/client";
import { findThresholdSetting, findThresholdVersions, insertThresholdSetting, lockLatestThresholdSetting } from "@/lib/db/thresholds";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { assertRole, type Actor } from "@/lib/roles";
import {
  restoreThresholdsSchema,
  saveThresholdsSchema,
  thresholdsOverDefaults,
  thresholdValuesSchema,
  type RestoreThresholdsInput,
  type SaveThresholdsInput,
  type StoredThresholdValues,
  type ThresholdChange,
  type ThresholdsState,
  type ThresholdValues,
  type ThresholdVersion,
} from "./contract";

// The thresholds' versions: who may read and save them, what a save is checked against, the
// version written with its audit entry in one transaction. The queries are lib/db/thresholds.ts's.

const thresholdKeys = Object.keys(thresholdValuesSchema.shape) as (keyof ThresholdValues)[];

function changesBetween(before: ThresholdValues, after: ThresholdValues): ThresholdChange[] {
  return thresholdKeys.filter((key) => before[key] !== after[key]).map((key) => ({ key, from: before[key], to: after[key] }));
}

/** The thresholds in force and every saved version, newest first, ending with the defaults (viewers and above). */
export async function getThresholds(db: Db, actor: Actor | null, defaults: ThresholdValues): Promise<ThresholdsState> {
  assertRole(actor, "viewer");
  const rows = await findThresholdVersions(db);
  const base: ThresholdVersion = { version: null, values: { ...defaults }, comment: "values.yaml", createdBy: null, createdAt: null, changes: [] };
  const history: ThresholdVersion[] = [base];
  let previous = base.values;
  for (const row of rows) {
    const values = thresholdsOverDefaults(row.values, defaults);
    history.push({
      version: row.id,
      values,
      comment: row.comment,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      changes: changesBetween(previous, values),
    });
    previous = values;
  }
  history.reverse();
  return { current: history[0]!, history, defaults: { ...defaults } };
}

async function saveVersion(
  db: Db,
  actor: Actor,
  defaults: ThresholdValues,
  values: ThresholdValues,
  comment: string | null,
  check: (latest: { id: number; values: ThresholdValues } | null) => void,
  audit: { action: string; details: Prisma.InputJsonObject },
): Promise<ThresholdVersion> {
  return db.prisma.$transaction(async (transaction) => {
    // Writers queue here, so the version read next is the newest committed one.
    const latestRow = await lockLatestThresholdSetting(transaction);
    const latest = latestRow ? { id: latestRow.id, values: thresholdsOverDefaults(latestRow.values, defaults) } : null;
    check(latest);
    const inForce = latest?.values ?? { ...defaults };
    const changes = changesBetween(inForce, values);
    if (changes.length === 0) {
      throw new InvalidInputError(`The values are those of ${latest ? `version ${latest.id}` : "values.yaml"}, already in force`, [
        { path: "values", message: "are the same as the thresholds in force" },
      ]);
    }
    const stored: StoredThresholdValues = values;
    const row = await insertThresholdSetting(transaction, { values: stored, comment, createdById: actor.kind === "user" ? actor.id : null });
    await recordAudit(transaction, actor, {
      action: audit.action,
      entityType: "thresholds",
      entityId: row.id,
      details: { ...audit.details, previousVersion: latest?.id ?? null, before: inForce, after: values },
    });
    return { version: row.id, values, comment, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), changes };
  });
}

/** Saves new thresholds as the next version (admins). Refused when another version was saved since the form was loaded. */
export async function saveThresholds(db: Db, actor: Actor | null, defaults: ThresholdValues, input: SaveThresholdsInput): Promise<ThresholdVersion> {
  assertRole(actor, "admin");
  const parsed = parseInput(saveThresholdsSchema, input);
  return saveVersion(
    db,
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
export async function restoreThresholds(db: Db, actor: Actor | null, defaults: ThresholdValues, input: RestoreThresholdsInput): Promise<ThresholdVersion> {
  assertRole(actor, "admin");
  const parsed = parseInput(restoreThresholdsSchema, input);
  const source = await findThresholdSetting(db, parsed.version);
  if (!source) throw new NotFoundError(`No thresholds version ${parsed.version}`);
  return saveVersion(db, actor, defaults, thresholdsOverDefaults(source.values, defaults), parsed.comment ?? `Restored version ${source.id}`, () => undefined, {
    action: "thresholds.restore",
    details: { restoredVersion: source.id },
  });
}
