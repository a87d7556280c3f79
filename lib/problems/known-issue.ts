import { recordAudit } from "@/lib/db/audit";
import type { Db } from "@/lib/db/client";
import { insertKnownIssue } from "@/lib/db/peak-triage";
import { findActiveKnownIssuesOfPatterns, findKnownIssueNames } from "@/lib/db/problems";
import { ConflictError, InvalidInputError, parseInput } from "@/lib/errors";
import { markIncidentKnown } from "@/lib/incidents/actions";
import { labelMatchingPeaks } from "@/lib/known-issues/matching";
import { assertRole, type Actor } from "@/lib/roles";
import { createKnownIssueFromProblemSchema, type CreateKnownIssueFromProblemInput, type ProblemKnownIssueResult } from "./contract";
import { readProblemOfPeriod } from "./detail";
import type { ProblemsSettings } from "./summaries";

/**
 * Creates an active known issue from a problem (analysts and above): recognised by the problem's
 * root-cause patterns (its pattern and those merged into it), everywhere or in its one namespace,
 * and marks the problem's incidents of the period known with it, as attaching each would, in one
 * transaction with the audit entries. Windows not placed in an incident yet are open peaks the
 * issue matches: labelMatching labels them with the others. Closed incidents (resolved) are left
 * as they are, as attaching refuses them. 409 when the problem already has a known issue: one
 * of its windows of the period carries one, an active issue names its patterns (in its
 * namespaces or everywhere), or one of its incidents was marked known meanwhile.
 */
export async function createKnownIssueFromProblem(
  db: Db,
  actor: Actor | null,
  input: CreateKnownIssueFromProblemInput,
  settings: ProblemsSettings,
): Promise<ProblemKnownIssueResult> {
  assertRole(actor, "analyst");
  const parsed = parseInput(createKnownIssueFromProblemSchema, input);
  const { patternIds, problem, facts } = await readProblemOfPeriod(db, parsed, settings);
  if (problem.knownIssueId !== null) {
    const known = (await findKnownIssueNames(db, [problem.knownIssueId])).get(problem.knownIssueId);
    throw new ConflictError(
      `Problem ${problem.id} already has known issue ${problem.knownIssueId}${known ? ` ("${known.title}")` : ""}; change that issue instead of creating another`,
    );
  }
  // Its windows may not carry an issue made for its root cause (its incidents were closed when it was made): still known.
  const [named] = await findActiveKnownIssuesOfPatterns(db, patternIds, problem.namespaces);
  if (named) {
    throw new ConflictError(
      `Problem ${problem.id}'s root cause is already known issue ${named.id} ("${named.title}"); attach its incidents to that issue instead`,
    );
  }
  const [onlyNamespace] = problem.namespaces;
  if (parsed.scope === "namespace" && (problem.namespaces.length !== 1 || onlyNamespace === undefined)) {
    const message = `the problem hit ${problem.namespaces.length} namespaces; a known issue of it can be scoped to one namespace only when it hit one`;
    throw new InvalidInputError(`scope: ${message}`, [{ path: "scope", message }]);
  }
  const incidentIds = [...new Set(facts.flatMap((fact) => (fact.isCurrent && fact.incidentId !== null ? [fact.incidentId] : [])))].sort((a, b) => a - b);
  const fields = {
    title: parsed.title,
    description: parsed.description ?? null,
    patternIds,
    regexes: [],
    namespace: parsed.scope === "namespace" ? (onlyNamespace ?? null) : null,
    appName: null,
    link: parsed.link ?? null,
  };
  return db.prisma.$transaction(async (transaction) => {
    const issueId = await insertKnownIssue(transaction, { ...fields, createdById: actor.kind === "user" ? actor.id : null });
    await recordAudit(transaction, actor, {
      action: "known_issue.create",
      entityType: "known_issue",
      entityId: issueId,
      details: { ...fields, fromProblemId: problem.id },
    });
    const issue = { id: issueId, title: fields.title };
    const attachedIncidentIds: number[] = [];
    const skippedIncidents: ProblemKnownIssueResult["skippedIncidents"] = [];
    for (const incidentId of incidentIds) {
      const outcome = await markIncidentKnown(transaction, actor, incidentId, issue, { created: true, fromProblemId: problem.id });
      // Retention may have deleted it since the problem was read: nothing to attach.
      if (!outcome) continue;
      // Marked known since the problem was read: the problem has a known issue now.
      if (outcome.status === "known_issue") throw new ConflictError(`Problem ${problem.id} got a known issue meanwhile (incident ${incidentId}); reload it`);
      if (outcome.isAttached) attachedIncidentIds.push(incidentId);
      else skippedIncidents.push({ id: incidentId, status: outcome.status });
    }
    const labelled = parsed.labelMatching ? await labelMatchingPeaks(transaction, actor, issue, null) : [];
    return { knownIssue: { id: issueId, title: fields.title, status: "active" }, attachedIncidentIds, skippedIncidents, labelled };
  });
}
