import type { TriageSubject } from "@/components/triage/triage-subject";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { shortRootCause } from "@/lib/peaks/words";

/** The title a new known issue or known peak gets unless the analyst writes one: the root cause's first line, short class names, at most 200 characters. */
export function defaultTitle(incident: IncidentDetail): string {
  const firstLine = (incident.lead.rootCause ?? "").split("\n")[0] ?? "";
  return shortRootCause(firstLine).trim().slice(0, 200);
}

/**
 * The incident as the shared triage panels see it: a known issue or known peak is made of the
 * root-cause patterns of its worst investigated window (the API picks them), for all its windows.
 */
export function incidentTriageSubject(incident: IncidentDetail): TriageSubject {
  const isInvestigated = incident.lead.rootCause !== null;
  return {
    noun: "incident",
    actionsUrl: `/api/incidents/${incident.id}/actions`,
    namespace: incident.namespace,
    appName: incident.lead.appName,
    knownIssue: incident.knownIssue ? { ...incident.knownIssue, isResolved: false } : null,
    defaultTitle: defaultTitle(incident),
    patternChoices: null,
    cannotCreateReason: isInvestigated
      ? null
      : "No window of this incident is investigated yet, so it has no root cause to recognise a known issue by. Attach it to an existing one instead.",
    cannotResolveReason: isInvestigated
      ? null
      : "No window of this incident is investigated yet: a solution is kept with its root cause. Enrich its peaks first.",
    words: {
      createChoice: "New known issue from its root cause",
      createHint: "It is recognised by the root-cause patterns of the incident's worst investigated window.",
      noApp: "Only this app (no app is known)",
    },
  };
}
