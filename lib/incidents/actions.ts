import { recordAudit } from "@/lib/db/audit";
import type { Db, Prisma } from "@/lib/db/client";
import {
  findActiveUser,
  findIncidentForAction,
  findIncidentRow,
  findIncidentWindowsForAction,
  setWindowsStatus,
  updateIncidentOwner,
  updateIncidentSnooze,
  updateIncidentStatus,
  type IncidentForAction,
} from "@/lib/db/incidents";
import { findKnownIssueHeadline, findPeakForAction } from "@/lib/db/peak-triage";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import type { LabelledPeak } from "@/lib/known-issues/contract";
import { labelMatchingPeaks } from "@/lib/known-issues/matching";
import { actionsFrom, type PeakStatus } from "@/lib/peaks/contract";
import { insertKnownIssueFromPeak, recordSolution, rootCausePatternIds } from "@/lib/peaks/triage";
import { statusWords } from "@/lib/peaks/words";
import { hasRole, assertRole, type Actor } from "@/lib/roles";
import { incidentActionSchema, incidentIdSchema, MAX_SNOOZE_DAYS, type IncidentActionInput, type IncidentActionResult, type IncidentSummary } from "./contract";
import { summarize } from "./list";

// The triage of an incident (analysts and above): each action changes the incident and every one
// of its windows, and records one audit entry, in one transaction. Windows that join later take
// the incident's status (lib/incidents/track.ts).

type Transaction = Prisma.TransactionClient;
type ParsedAction = ReturnType<typeof incidentActionSchema.parse>;

const DAY_MS = 86_400_000;

/** The statuses each status-changing action may start from: the same rules as a window's. */
const fromStatuses = {
  acknowledge: actionsFrom.acknowledge,
  reopen: actionsFrom.reopen,
  false_positive: actionsFrom.false_positive,
  known_issue: actionsFrom.known_issue,
  resolve: actionsFrom.resolve,
} as const satisfies Record<string, readonly PeakStatus[]>;

async function incidentToChange(transaction: Transaction, incidentId: number): Promise<IncidentForAction> {
  const incident = await findIncidentForAction(transaction, incidentId);
  if (!incident) throw new NotFoundError(`Incident ${incidentId} does not exist`);
  return incident;
}

/** ConflictError unless the incident's status is one the action starts from; `otherwise` says what to do instead. */
function requireFrom(incident: IncidentForAction, allowed: readonly PeakStatus[], otherwise: string): void {
  if (allowed.includes(incident.status)) return;
  throw new ConflictError(`Incident ${incident.id} is ${statusWords[incident.status]}; ${otherwise}`);
}

/**
 * The window a known issue or a solution is made from: the incident's worst window whose root
 * cause is known (enriched, with patterns); InvalidInputError when none is investigated yet.
 */
async function investigatedWindow(transaction: Transaction, incidentId: number) {
  const windows = await findIncidentWindowsForAction(transaction, incidentId);
  const investigated = windows
    .filter((window) => window.enrichedAt !== null && window.topPatterns !== null)
    .sort((left, right) => right.ratio - left.ratio || left.id - right.id);
  for (const window of investigated) {
    const peak = await findPeakForAction(transaction, window.id);
    if (peak && rootCausePatternIds(peak).length > 0) return peak;
  }
  throw new InvalidInputError(`Incident ${incidentId} has no investigated window yet; enrich its peaks first (peaks enrich --all)`);
}

/** Moves the incident and all its windows to `to`, conditional on the status read; audited. */
async function transition(
  transaction: Transaction,
  actor: Actor,
  incident: IncidentForAction,
  to: PeakStatus,
  options: { action: string; knownIssueId?: number; ownerId?: number | null; resolution?: "solution" | null; details?: Prisma.InputJsonObject },
): Promise<void> {
  const isChanged = await updateIncidentStatus(transaction, {
    incidentId: incident.id,
    from: incident.status,
    to,
    ownerId: options.ownerId,
    ...(to === "resolved" ? { resolution: options.resolution ?? "solution", resolvedAt: new Date() } : {}),
    ...(to === "open" ? { resolution: null, resolvedAt: null } : {}),
  });
  if (!isChanged) throw new ConflictError(`Incident ${incident.id} was changed by someone else meanwhile; reload it and try again`);
  await setWindowsStatus(transaction, incident.id, to, options.knownIssueId);
  await recordAudit(transaction, actor, {
    action: options.action,
    entityType: "incident",
    entityId: incident.id,
    details: { from: incident.status, to, ...options.details },
  });
}

/**
 * Marks an incident and all its windows known with an issue, as attach_known_issue does, with
 * `details` added to its audit entry (created from a problem, say). Null when it does not exist;
 * `isAttached` false, nothing written, when its status does not allow it (false positive, resolved).
 */
export async function markIncidentKnown(
  transaction: Transaction,
  actor: Actor,
  incidentId: number,
  issue: { id: number; title: string },
  details: Prisma.InputJsonObject,
): Promise<{ status: PeakStatus; isAttached: boolean } | null> {
  const incident = await findIncidentForAction(transaction, incidentId);
  if (!incident) return null;
  if (!(fromStatuses.known_issue as readonly PeakStatus[]).includes(incident.status)) return { status: incident.status, isAttached: false };
  await transition(transaction, actor, incident, "known_issue", {
    action: "incident.known_issue",
    knownIssueId: issue.id,
    details: { knownIssueId: issue.id, title: issue.title, ...details },
  });
  return { status: incident.status, isAttached: true };
}

/** The owner an action names: an enabled analyst or admin; the actor when none is named. */
async function ownerFor(transaction: Transaction, actor: Actor, ownerId: number | undefined): Promise<{ id: number; email: string } | null> {
  if (ownerId === undefined) return actor.kind === "user" ? { id: actor.id, email: actor.email } : null;
  const user = await findActiveUser(transaction, ownerId);
  if (!user) throw new InvalidInputError(`ownerId: no enabled user has id ${ownerId}`, [{ path: "ownerId", message: "no enabled user has this id" }]);
  if (!hasRole(user.role as "viewer" | "analyst" | "admin", "analyst")) {
    throw new InvalidInputError(`ownerId: ${user.email} is a viewer and cannot own an incident`, [
      { path: "ownerId", message: "a viewer cannot own an incident" },
    ]);
  }
  return { id: user.id, email: user.email };
}

async function excessOf(transaction: Transaction, incidentId: number): Promise<number> {
  const windows = await findIncidentWindowsForAction(transaction, incidentId);
  return windows.reduce((sum, window) => sum + Math.max(0, window.errorCount - window.baselineMean), 0);
}

/** Applies one parsed action in its transaction; returns what the answer adds to the incident. */
async function apply(transaction: Transaction, actor: Actor, incident: IncidentForAction, action: ParsedAction, now: Date) {
  switch (action.action) {
    case "acknowledge": {
      requireFrom(incident, fromStatuses.acknowledge, "only an open incident can be acknowledged");
      const owner = await ownerFor(transaction, actor, action.ownerId);
      await transition(transaction, actor, incident, "acknowledged", {
        action: "incident.acknowledge",
        ownerId: owner?.id ?? null,
        details: { owner: owner?.email ?? null },
      });
      return {};
    }
    case "assign": {
      const owner = action.ownerId === null ? null : await ownerFor(transaction, actor, action.ownerId);
      await updateIncidentOwner(transaction, incident.id, owner?.id ?? null);
      await recordAudit(transaction, actor, {
        action: "incident.assign",
        entityType: "incident",
        entityId: incident.id,
        details: { previousOwnerId: incident.ownerId, owner: owner?.email ?? null },
      });
      return {};
    }
    case "reopen":
      requireFrom(incident, fromStatuses.reopen, "it is open already");
      await transition(transaction, actor, incident, "open", { action: "incident.reopen", resolution: null });
      return {};
    case "false_positive":
      requireFrom(incident, fromStatuses.false_positive, "reopen it first");
      await transition(transaction, actor, incident, "false_positive", {
        action: "incident.false_positive",
        details: action.reason ? { reason: action.reason } : {},
      });
      return {};
    case "attach_known_issue": {
      requireFrom(incident, fromStatuses.known_issue, "reopen it first");
      const issue = await findKnownIssueHeadline(transaction, action.knownIssueId);
      if (!issue) throw new NotFoundError(`Known issue ${action.knownIssueId} does not exist`);
      if (issue.status !== "active") throw new ConflictError(`Known issue ${issue.id} is resolved; an incident can only be attached to an active issue`);
      await transition(transaction, actor, incident, "known_issue", {
        action: "incident.known_issue",
        knownIssueId: issue.id,
        details: { knownIssueId: issue.id, title: issue.title },
      });
      const labelled = action.labelMatching ? await labelMatchingPeaks(transaction, actor, issue, null) : [];
      return { labelled };
    }
    case "create_known_issue": {
      requireFrom(incident, fromStatuses.known_issue, "reopen it first");
      const window = await investigatedWindow(transaction, incident.id);
      const { issueId, fields } = await insertKnownIssueFromPeak(transaction, actor, window, action);
      await transition(transaction, actor, incident, "known_issue", {
        action: "incident.known_issue",
        knownIssueId: issueId,
        details: { knownIssueId: issueId, title: fields.title, created: true, fromPeakId: window.id },
      });
      const labelled: LabelledPeak[] = action.labelMatching ? await labelMatchingPeaks(transaction, actor, { id: issueId, title: fields.title }, null) : [];
      return { labelled };
    }
    case "resolve": {
      requireFrom(incident, fromStatuses.resolve, "reopen it before resolving it");
      const window = await investigatedWindow(transaction, incident.id);
      const { knownPeakId, resolvedIssueId } = await recordSolution(transaction, actor, window, action, now);
      await transition(transaction, actor, incident, "resolved", {
        action: "incident.resolve",
        resolution: "solution",
        details: { solution: action.solution, knownPeakId, resolvedKnownIssueId: resolvedIssueId, fromPeakId: window.id },
      });
      return { knownPeakId };
    }
    case "snooze": {
      if (incident.status !== "open" && incident.status !== "acknowledged") {
        throw new ConflictError(`Incident ${incident.id} is ${statusWords[incident.status]}; only an open or acknowledged incident can be snoozed`);
      }
      const until = action.until === undefined ? null : new Date(action.until);
      if (until !== null && (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * DAY_MS)) {
        throw new InvalidInputError(`until: must be in the future and at most ${MAX_SNOOZE_DAYS} days ahead`, [
          { path: "until", message: `must be in the future and at most ${MAX_SNOOZE_DAYS} days ahead` },
        ]);
      }
      const growth = action.growth ?? null;
      const excess = growth === null ? null : await excessOf(transaction, incident.id);
      await updateIncidentSnooze(transaction, incident.id, { until, growth, excess });
      await recordAudit(transaction, actor, {
        action: "incident.snooze",
        entityType: "incident",
        entityId: incident.id,
        details: { until: until?.toISOString() ?? null, growth, excess: excess === null ? null : Math.round(excess) },
      });
      return {};
    }
    case "unsnooze": {
      if (incident.snoozedUntil === null && incident.snoozeGrowth === null) throw new ConflictError(`Incident ${incident.id} is not snoozed`);
      await updateIncidentSnooze(transaction, incident.id, { until: null, growth: null, excess: null });
      await recordAudit(transaction, actor, { action: "incident.unsnooze", entityType: "incident", entityId: incident.id, details: {} });
      return {};
    }
  }
}

/**
 * Applies one action of POST /api/incidents/[id]/actions (analysts and above) to the incident and
 * all its windows, and answers with the incident as it is now.
 */
export async function applyIncidentAction(
  db: Db,
  actor: Actor | null,
  id: number,
  input: IncidentActionInput,
  settings: { windowMinutes: number; now?: Date },
): Promise<IncidentActionResult> {
  assertRole(actor, "analyst");
  const incidentId = parseInput(incidentIdSchema, id);
  const action = parseInput(incidentActionSchema, input);
  const now = settings.now ?? new Date();
  const extra = await db.prisma.$transaction(async (transaction) => apply(transaction, actor, await incidentToChange(transaction, incidentId), action, now));
  return { incident: await currentSummary(db, incidentId, settings.windowMinutes, now), ...extra };
}

async function currentSummary(db: Db, incidentId: number, windowMinutes: number, now: Date): Promise<IncidentSummary> {
  const row = await findIncidentRow(db, incidentId);
  const [summary] = row ? await summarize(db, [row], windowMinutes, now) : [];
  if (!summary) throw new NotFoundError(`Incident ${incidentId} does not exist`);
  return summary;
}
