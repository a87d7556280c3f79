import { explainingRootCauses } from "@/lib/pipeline/investigate";
import { recordAudit } from "@/lib/db/audit";
import { applyWindowStatusToIncident } from "@/lib/db/incidents";
import type { Db, Prisma } from "@/lib/db/client";
import type { LabelledPeak } from "@/lib/known-issues/contract";
import { labelMatchingPeaks } from "@/lib/known-issues/matching";
import {
  findKnownIssueHeadline,
  findKnownIssueRow,
  findKnownPeakIdOfIssue,
  findPeakForAction,
  findPeakSummary,
  insertKnownIssue,
  insertKnownPeak,
  insertPeakNote,
  peakExistsIn,
  resolveKnownIssueIfActive,
  updatePeakStatus,
  type PeakForAction,
} from "@/lib/db/peak-triage";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { actorLabel, assertRole, type Actor } from "@/lib/roles";
import { z } from "zod";
import {
  actionsFrom,
  addNoteSchema,
  attachToKnownIssueSchema,
  createKnownIssueFromPeakSchema,
  markFalsePositiveSchema,
  peakActionSchema,
  peakIdSchema,
  resolvePeakSchema,
  type AddNoteInput,
  type AttachToKnownIssueInput,
  type CreateKnownIssueFromPeakInput,
  type KnownIssueActionResult,
  type KnownIssueScope,
  type MarkFalsePositiveInput,
  type PeakActionInput,
  type PeakActionResult,
  type PeakAuditDetails,
  type PeakNoteRecord,
  type PeakStatus,
  type PeakSummary,
  type ResolvePeakInput,
} from "./contract";
import { toSummary } from "./list";
import { statusWords } from "./words";

// The triage actions (analysts and above): each one changes the peak and records it in the audit
// log in one transaction. The queries are lib/db/peak-triage.ts's.

type Transition = {
  action: string;
  from: readonly PeakStatus[];
  to: PeakStatus;
  /** Why the change is refused from `current`, a status not in `from`. */
  refusal: (peakId: number, current: PeakStatus) => string;
};

const alreadyOr = (what: PeakStatus, otherwise: string) => (peakId: number, current: PeakStatus) =>
  current === what ? `Peak ${peakId} is already ${statusWords[current]}` : `Peak ${peakId} is ${statusWords[current]}; ${otherwise}`;

const transitions: Record<"acknowledge" | "falsePositive" | "markKnownIssue" | "resolve" | "reopen", Transition> = {
  acknowledge: {
    action: "peak.acknowledge",
    from: actionsFrom.acknowledge,
    to: "acknowledged",
    refusal: alreadyOr("acknowledged", "only an open peak can be acknowledged"),
  },
  falsePositive: {
    action: "peak.false_positive",
    from: actionsFrom.false_positive,
    to: "false_positive",
    refusal: alreadyOr("false_positive", "reopen it first"),
  },
  markKnownIssue: {
    action: "peak.mark_known_issue",
    from: actionsFrom.known_issue,
    to: "known_issue",
    refusal: (peakId, current) => `Peak ${peakId} is ${statusWords[current]}; reopen it first`,
  },
  resolve: {
    action: "peak.resolve",
    from: actionsFrom.resolve,
    to: "resolved",
    refusal: alreadyOr("resolved", "reopen it before resolving it"),
  },
  reopen: {
    action: "peak.reopen",
    from: actionsFrom.reopen,
    to: "open",
    refusal: (peakId) => `Peak ${peakId} is already open`,
  },
};

/** The incident audit action of a window's move to each status. */
const incidentActionOf: Record<PeakStatus, string> = {
  open: "incident.reopen",
  acknowledged: "incident.acknowledge",
  known_issue: "incident.known_issue",
  false_positive: "incident.false_positive",
  resolved: "incident.resolve",
};

/** The peak an action changes, or NotFoundError. */
export async function peakToChange(transaction: Prisma.TransactionClient, peakId: number): Promise<PeakForAction> {
  const peak = await findPeakForAction(transaction, peakId);
  if (!peak) throw new NotFoundError(`Peak ${peakId} does not exist`);
  return peak;
}

/**
 * Moves the peak from its current status to `transition.to`, with `data`, and records the audit
 * entry. Conditional on the status read, so that of two concurrent changes only one applies.
 */
async function applyTransition(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  peak: PeakForAction,
  transition: Transition,
  data: { knownIssueId?: number } = {},
  details: PeakAuditDetails = {},
): Promise<PeakSummary> {
  if (!transition.from.includes(peak.status)) throw new ConflictError(transition.refusal(peak.id, peak.status));
  const isChanged = await updatePeakStatus(transaction, { peakId: peak.id, from: peak.status, to: transition.to, ...data });
  if (!isChanged) throw new ConflictError(`Peak ${peak.id} was changed by someone else meanwhile; reload it and try again`);
  await recordAudit(transaction, actor, {
    action: transition.action,
    entityType: "peak",
    entityId: peak.id,
    details: { from: peak.status, to: transition.to, ...details },
  });
  // A window is triaged with its incident: the incident and its other windows follow.
  const incident = await applyWindowStatusToIncident(transaction, peak.id, {
    to: transition.to,
    knownIssueId: data.knownIssueId,
    now: new Date(),
    ownerId: actor.kind === "user" ? actor.id : null,
  });
  if (incident) {
    await recordAudit(transaction, actor, {
      action: incidentActionOf[transition.to],
      entityType: "incident",
      entityId: incident.incidentId,
      details: { from: incident.from, to: transition.to, viaPeakId: peak.id, ...details },
    });
  }
  return toSummary(await findPeakSummary(transaction, peak.id));
}

async function changeStatus(db: Db, actor: Actor | null, id: number, transition: Transition, details: PeakAuditDetails = {}): Promise<PeakSummary> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  return db.prisma.$transaction(async (transaction) => applyTransition(transaction, actor, await peakToChange(transaction, peakId), transition, {}, details));
}

/** Acknowledges an open peak: someone is looking at it (analysts and above). */
export async function acknowledge(db: Db, actor: Actor | null, id: number): Promise<PeakSummary> {
  return changeStatus(db, actor, id, transitions.acknowledge);
}

/** Marks a peak a false positive, with an optional reason (analysts and above). */
export async function markFalsePositive(db: Db, actor: Actor | null, id: number, input: MarkFalsePositiveInput = {}): Promise<PeakSummary> {
  assertRole(actor, "analyst");
  const { reason } = parseInput(markFalsePositiveSchema, input);
  return changeStatus(db, actor, id, transitions.falsePositive, reason ? { reason } : {});
}

/** Opens a triaged peak again (analysts and above); its known issue and regression labels stay. */
export async function reopen(db: Db, actor: Actor | null, id: number): Promise<PeakSummary> {
  return changeStatus(db, actor, id, transitions.reopen);
}

/**
 * Attaches a peak to an active known issue (analysts and above); with labelMatching (the
 * default), the other open peaks the issue matches are labelled too (see labelMatchingPeaks).
 */
export async function attachToKnownIssue(db: Db, actor: Actor | null, id: number, input: AttachToKnownIssueInput): Promise<KnownIssueActionResult> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const { knownIssueId, labelMatching } = parseInput(attachToKnownIssueSchema, input);
  return db.prisma.$transaction(async (transaction) => {
    const peak = await peakToChange(transaction, peakId);
    if (!transitions.markKnownIssue.from.includes(peak.status)) throw new ConflictError(transitions.markKnownIssue.refusal(peakId, peak.status));
    const issue = await findKnownIssueHeadline(transaction, knownIssueId);
    if (!issue) throw new NotFoundError(`Known issue ${knownIssueId} does not exist`);
    if (issue.status !== "active") throw new ConflictError(`Known issue ${knownIssueId} is resolved; a peak can only be attached to an active issue`);
    if (peak.status === "known_issue" && peak.knownIssueId === knownIssueId)
      throw new ConflictError(`Peak ${peakId} is already attached to known issue ${knownIssueId}`);
    // Labelling leaves this peak's own incident to the peak's transition (labelIncidentsOfWindows
    // skips the source's incident), so the peak's conditional update below still finds its status.
    const labelled = labelMatching ? await labelMatchingPeaks(transaction, actor, issue, peakId) : [];
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.markKnownIssue,
      { knownIssueId },
      { knownIssueId, title: issue.title, previousKnownIssueId: peak.knownIssueId, ...labelledDetails(labelMatching, labelled) },
    );
    return { peak: summary, labelled };
  });
}

/** The audit details of the labelled peaks; none when labelling was not asked for, so older entries keep their shape. */
function labelledDetails(labelMatching: boolean, labelled: readonly LabelledPeak[]): PeakAuditDetails {
  return labelMatching ? { labelledPeakIds: labelled.map((peak) => peak.id) } : {};
}

// Only the pattern ids are needed here, so a stored pattern missing other fields still counts.
const storedPatternIdsSchema = z.array(z.object({ patternId: z.string().min(1), share: z.number().optional() })).catch([]);
const storedMatcherSchema = z.object({ rootCauses: storedPatternIdsSchema, patterns: storedPatternIdsSchema });

/** The pattern ids of the root causes that explain the peak (explainingRootCauses), else its most frequent pattern; empty when not enriched. */
export function rootCausePatternIds(peak: PeakForAction): string[] {
  if (peak.enrichedAt === null || peak.topPatterns === null) return [];
  const parsed = storedMatcherSchema.safeParse(peak.topPatterns);
  if (!parsed.success) return [];
  const patterns = parsed.data.rootCauses.length > 0 ? explainingRootCauses(parsed.data.rootCauses) : parsed.data.patterns.slice(0, 1);
  return [...new Set(patterns.map((pattern) => pattern.patternId))];
}

/** The chosen root-cause pattern ids (all of them when none are chosen), which must be the peak's own. */
export function requirePatternIds(peak: PeakForAction, chosen?: readonly string[]): string[] {
  const patternIds = rootCausePatternIds(peak);
  if (patternIds.length === 0) {
    throw new InvalidInputError(`Peak ${peak.id} has no error patterns yet; enrich it first (peaks enrich --peak-id ${peak.id})`);
  }
  if (chosen === undefined) return patternIds;
  const foreign = chosen.filter((patternId) => !patternIds.includes(patternId));
  if (foreign.length > 0) {
    const message = `not a root-cause pattern of peak ${peak.id}: ${foreign.join(", ")}`;
    throw new InvalidInputError(`patternIds: ${message}`, [{ path: "patternIds", message }]);
  }
  return [...chosen];
}

export function scopeOf(peak: PeakForAction, scope: KnownIssueScope): { namespace: string | null; appName: string | null } {
  if (scope === "everywhere") return { namespace: null, appName: null };
  if (scope === "namespace") return { namespace: peak.namespace, appName: null };
  if (peak.appName === null)
    throw new InvalidInputError(`Peak ${peak.id} has no app; choose the namespace scope`, [{ path: "scope", message: "the peak has no app" }]);
  return { namespace: peak.namespace, appName: peak.appName };
}

/**
 * Creates an active known issue recognised by the peak's root-cause patterns (all, or the chosen
 * ones) in the chosen scope, and audits it; the peak itself does not change.
 */
export async function insertKnownIssueFromPeak(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  peak: PeakForAction,
  parsed: z.output<typeof createKnownIssueFromPeakSchema>,
) {
  const fields = {
    title: parsed.title,
    description: parsed.description ?? null,
    patternIds: requirePatternIds(peak, parsed.patternIds),
    regexes: [],
    ...scopeOf(peak, parsed.scope),
    link: parsed.link ?? null,
  };
  const issueId = await insertKnownIssue(transaction, { ...fields, createdById: actor.kind === "user" ? actor.id : null });
  await recordAudit(transaction, actor, {
    action: "known_issue.create",
    entityType: "known_issue",
    entityId: issueId,
    details: { ...fields, fromPeakId: peak.id },
  });
  return { issueId, fields };
}

/**
 * Creates an active known issue recognised by this peak's root-cause patterns (all, or the
 * chosen ones), in the chosen scope, and attaches the peak to it (analysts and above). The peak
 * must be enriched. With labelMatching (the default), the other open peaks the new issue matches
 * are labelled too (see labelMatchingPeaks).
 */
export async function createKnownIssueFromPeak(db: Db, actor: Actor | null, id: number, input: CreateKnownIssueFromPeakInput): Promise<KnownIssueActionResult> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const parsed = parseInput(createKnownIssueFromPeakSchema, input);
  return db.prisma.$transaction(async (transaction) => {
    const peak = await peakToChange(transaction, peakId);
    if (!transitions.markKnownIssue.from.includes(peak.status)) throw new ConflictError(transitions.markKnownIssue.refusal(peakId, peak.status));
    const { issueId, fields } = await insertKnownIssueFromPeak(transaction, actor, peak, parsed);
    // As in attachToKnownIssue: the peak's own incident is left to its transition.
    const labelled = parsed.labelMatching ? await labelMatchingPeaks(transaction, actor, { id: issueId, title: fields.title }, peakId) : [];
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.markKnownIssue,
      { knownIssueId: issueId },
      {
        knownIssueId: issueId,
        title: fields.title,
        created: true,
        scope: parsed.scope,
        patternIds: fields.patternIds,
        previousKnownIssueId: peak.knownIssueId,
        ...labelledDetails(parsed.labelMatching, labelled),
      },
    );
    return { peak: summary, labelled };
  });
}

/**
 * Records the solution of a peak: a peak with an active known issue resolves the issue, which
 * becomes a known peak with the solution; a peak without one becomes a known peak of its own
 * root-cause patterns. The peak's status does not change here.
 */
export async function recordSolution(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  peak: PeakForAction,
  parsed: z.output<typeof resolvePeakSchema>,
  resolvedAt: Date,
): Promise<{ knownPeakId: number; resolvedIssueId: number | null }> {
  const resolvedById = actor.kind === "user" ? actor.id : null;
  const issue = peak.knownIssueId === null ? null : await findKnownIssueRow(transaction, peak.knownIssueId);
  let knownPeakId: number;
  let resolvedIssueId: number | null = null;
  if (issue) {
    // Conditional on the status, so that the issue is resolved, and its known peak created, once.
    const isResolvedNow = await resolveKnownIssueIfActive(transaction, issue.id, resolvedAt);
    // Resolved earlier from the known issues page: its known peak already holds the solution.
    const existing = isResolvedNow ? null : await findKnownPeakIdOfIssue(transaction, issue.id);
    if (existing !== null) {
      knownPeakId = existing;
    } else {
      knownPeakId = await insertKnownPeak(transaction, {
        title: issue.title,
        description: issue.description,
        solution: parsed.solution,
        patternIds: issue.patternIds,
        regexes: issue.regexes,
        namespace: issue.namespace,
        appName: issue.appName,
        link: issue.link,
        knownIssueId: issue.id,
        resolvedById,
        resolvedAt,
      });
    }
    if (isResolvedNow) {
      resolvedIssueId = issue.id;
      await recordAudit(transaction, actor, {
        action: "known_issue.resolve",
        entityType: "known_issue",
        entityId: issue.id,
        details: { knownPeakId, solution: parsed.solution, fromPeakId: peak.id },
      });
    }
  } else {
    knownPeakId = await insertKnownPeak(transaction, {
      title: parsed.title ?? (peak.rootCause ? peak.rootCause.slice(0, 200) : `Peak ${peak.id} in ${peak.namespace}`),
      solution: parsed.solution,
      patternIds: requirePatternIds(peak, parsed.patternIds),
      regexes: [],
      ...scopeOf(peak, parsed.scope),
      resolvedById,
      resolvedAt,
    });
  }
  return { knownPeakId, resolvedIssueId };
}

/**
 * Resolves a peak with its solution (analysts and above). A peak with an active known issue
 * resolves the issue too, which becomes a known peak with the solution; a peak without one
 * becomes a known peak of its own root-cause patterns. Later matching peaks are regressions.
 */
export async function resolvePeak(db: Db, actor: Actor | null, id: number, input: ResolvePeakInput): Promise<{ peak: PeakSummary; knownPeakId: number }> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const parsed = parseInput(resolvePeakSchema, input);
  const resolvedAt = new Date();
  return db.prisma.$transaction(async (transaction) => {
    const peak = await peakToChange(transaction, peakId);
    if (!transitions.resolve.from.includes(peak.status)) throw new ConflictError(transitions.resolve.refusal(peakId, peak.status));
    const { knownPeakId, resolvedIssueId } = await recordSolution(transaction, actor, peak, parsed, resolvedAt);
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.resolve,
      {},
      {
        solution: parsed.solution,
        knownPeakId,
        knownIssueId: peak.knownIssueId,
        resolvedKnownIssue: resolvedIssueId !== null,
      },
    );
    return { peak: summary, knownPeakId };
  });
}

/** Adds a note to a peak (analysts and above); its status does not change. */
export async function addNote(db: Db, actor: Actor | null, id: number, input: AddNoteInput): Promise<PeakNoteRecord> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const { text } = parseInput(addNoteSchema, input);
  return db.prisma.$transaction(async (transaction) => {
    if (!(await peakExistsIn(transaction, peakId))) throw new NotFoundError(`Peak ${peakId} does not exist`);
    const note = await insertPeakNote(transaction, { peakId, authorId: actor.kind === "user" ? actor.id : null, actor: actorLabel(actor), text });
    await recordAudit(transaction, actor, { action: "peak.note", entityType: "peak", entityId: peakId, details: { noteId: note.id, text } });
    return { ...note, createdAt: note.createdAt.toISOString() };
  });
}

/** Applies one action of POST /api/peaks/[id]/actions (analysts and above). */
export async function applyPeakAction(db: Db, actor: Actor | null, id: number, input: PeakActionInput): Promise<PeakActionResult> {
  assertRole(actor, "analyst");
  const parsed = parseInput(peakActionSchema, input);
  switch (parsed.action) {
    case "acknowledge":
      return { peak: await acknowledge(db, actor, id) };
    case "reopen":
      return { peak: await reopen(db, actor, id) };
    case "false_positive":
      return { peak: await markFalsePositive(db, actor, id, { reason: parsed.reason }) };
    // Each function parses its own schema again, which drops `action`.
    case "attach_known_issue":
      return attachToKnownIssue(db, actor, id, parsed);
    case "create_known_issue":
      return createKnownIssueFromPeak(db, actor, id, parsed);
    case "resolve":
      return resolvePeak(db, actor, id, parsed);
  }
}
