import { recordAudit } from "@/lib/db/audit";
import type { Db } from "@/lib/db/client";
import {
  findKnownIssueFields,
  findUnknownPatternIds,
  insertKnownIssue,
  insertKnownPeak,
  markKnownIssueResolved,
  updateKnownIssueFields,
  type KnownIssueFields,
} from "@/lib/db/known-issues";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { assertRole, type Actor } from "@/lib/roles";
import { readKnownIssueSummary } from "./catalog";
import { labelMatchingPeaks } from "./matching";
import {
  createKnownIssueSchema,
  knownIssueFieldsShape,
  knownIssueIdSchema,
  NEEDS_A_MATCHER,
  resolveKnownIssueSchema,
  updateKnownIssueSchema,
  type CreateKnownIssueInput,
  type CreatedKnownIssue,
  type KnownIssueSummary,
  type ResolveKnownIssueInput,
  type UpdateKnownIssueInput,
} from "./contract";

// Curating known issues: creating, changing and resolving them, each checked, written with its
// audit entry in one transaction. The queries are lib/db/known-issues.ts's.

function unknownPatternIdsError(unknown: readonly string[]): InvalidInputError {
  const message = `unknown pattern id${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}`;
  return new InvalidInputError(`patternIds: ${message}`, [{ path: "patternIds", message }]);
}

/**
 * Creates an active known issue (analysts and above); its pattern ids must exist. The open peaks
 * without a known issue that it matches (its preview's `labels`) are labelled in the same
 * transaction, each with its audit entry.
 */
export async function createKnownIssue(db: Db, actor: Actor | null, input: CreateKnownIssueInput): Promise<CreatedKnownIssue> {
  assertRole(actor, "analyst");
  const parsed = parseInput(createKnownIssueSchema, input);
  const fields: KnownIssueFields = {
    title: parsed.title,
    description: parsed.description ?? null,
    patternIds: parsed.patternIds,
    regexes: parsed.regexes,
    namespace: parsed.namespace ?? null,
    appName: parsed.appName ?? null,
    link: parsed.link ?? null,
  };
  const { issueId, labelled } = await db.prisma.$transaction(async (transaction) => {
    const unknown = await findUnknownPatternIds(transaction, fields.patternIds);
    if (unknown.length > 0) throw unknownPatternIdsError(unknown);
    const id = await insertKnownIssue(transaction, { ...fields, createdById: actor.kind === "user" ? actor.id : null });
    await recordAudit(transaction, actor, { action: "known_issue.create", entityType: "known_issue", entityId: id, details: fields });
    return { issueId: id, labelled: await labelMatchingPeaks(transaction, actor, { id, title: fields.title }, null) };
  });
  return { ...(await readKnownIssueSummary(db, issueId)), labelled };
}

type EditableField = keyof typeof knownIssueFieldsShape;
const editableFields = Object.keys(knownIssueFieldsShape) as EditableField[];

function isSameValue(left: string | string[] | null, right: string | string[] | null): boolean {
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((value, index) => value === right[index]);
  return left === right;
}

/**
 * Changes an active known issue (analysts and above). Only the given fields change; the audit
 * entry holds each changed field before and after. Nothing is written when nothing changes.
 * A resolved issue is refused: its known peak keeps the matcher it was resolved with.
 */
export async function updateKnownIssue(db: Db, actor: Actor | null, id: number, input: UpdateKnownIssueInput): Promise<KnownIssueSummary> {
  assertRole(actor, "analyst");
  const issueId = parseInput(knownIssueIdSchema, id);
  const parsed = parseInput(updateKnownIssueSchema, input);
  await db.prisma.$transaction(async (transaction) => {
    const before = await findKnownIssueFields(transaction, issueId);
    if (!before) throw new NotFoundError(`Known issue ${issueId} does not exist`);
    if (before.status === "resolved") throw new ConflictError(`Known issue ${issueId} is resolved and can no longer be changed`);

    const after = {
      title: parsed.title ?? before.title,
      description: parsed.description === undefined ? before.description : parsed.description,
      patternIds: parsed.patternIds ?? before.patternIds,
      regexes: parsed.regexes ?? before.regexes,
      namespace: parsed.namespace === undefined ? before.namespace : parsed.namespace,
      appName: parsed.appName === undefined ? before.appName : parsed.appName,
      link: parsed.link === undefined ? before.link : parsed.link,
    } satisfies Record<EditableField, string | string[] | null> & KnownIssueFields;
    const changes = Object.fromEntries(
      editableFields.filter((field) => !isSameValue(before[field], after[field])).map((field) => [field, { before: before[field], after: after[field] }]),
    );
    if (Object.keys(changes).length === 0) return;

    if (after.patternIds.length === 0 && after.regexes.length === 0) {
      throw new InvalidInputError(`patternIds: ${NEEDS_A_MATCHER}`, [{ path: "patternIds", message: NEEDS_A_MATCHER }]);
    }
    // Only added ids are checked: a pattern pruned from error_patterns since must not block other edits.
    const unknown = await findUnknownPatternIds(
      transaction,
      after.patternIds.filter((patternId) => !before.patternIds.includes(patternId)),
    );
    if (unknown.length > 0) throw unknownPatternIdsError(unknown);

    await updateKnownIssueFields(transaction, issueId, after);
    await recordAudit(transaction, actor, { action: "known_issue.update", entityType: "known_issue", entityId: issueId, details: { changes } });
  });
  return readKnownIssueSummary(db, issueId);
}

/**
 * Resolves an active known issue (analysts and above) and keeps it as a known peak with its
 * solution, so that a later matching peak is reported as a regression. Resolving twice conflicts.
 */
export async function resolveKnownIssue(
  db: Db,
  actor: Actor | null,
  id: number,
  input: ResolveKnownIssueInput,
): Promise<{ issue: KnownIssueSummary; knownPeakId: number }> {
  assertRole(actor, "analyst");
  const issueId = parseInput(knownIssueIdSchema, id);
  const { solution } = parseInput(resolveKnownIssueSchema, input);
  const resolvedAt = new Date();
  const knownPeakId = await db.prisma.$transaction(async (transaction) => {
    if (!(await markKnownIssueResolved(transaction, issueId, resolvedAt))) {
      if (!(await findKnownIssueFields(transaction, issueId))) throw new NotFoundError(`Known issue ${issueId} does not exist`);
      throw new ConflictError(`Known issue ${issueId} is already resolved`);
    }
    const row = await findKnownIssueFields(transaction, issueId);
    if (!row) throw new NotFoundError(`Known issue ${issueId} does not exist`);
    const knownPeakId = await insertKnownPeak(transaction, {
      title: row.title,
      description: row.description,
      solution,
      patternIds: row.patternIds,
      regexes: row.regexes,
      namespace: row.namespace,
      appName: row.appName,
      link: row.link,
      knownIssueId: issueId,
      resolvedById: actor.kind === "user" ? actor.id : null,
      resolvedAt,
    });
    await recordAudit(transaction, actor, {
      action: "known_issue.resolve",
      entityType: "known_issue",
      entityId: issueId,
      details: { knownPeakId, solution },
    });
    return knownPeakId;
  });
  return { issue: await readKnownIssueSummary(db, issueId), knownPeakId };
}
