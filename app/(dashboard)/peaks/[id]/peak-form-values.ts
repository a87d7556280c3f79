import type { PatternChoice, TriageSubject } from "@/components/triage/triage-subject";
import type { PeakDetail } from "@/lib/peaks/contract";

/** The patterns a new known issue or known peak can be recognised by: the root causes, or the top pattern of an untraced window. */
export function patternChoices(peak: PeakDetail): PatternChoice[] {
  const facts = peak.enrichment.investigation;
  if (!facts) return [];
  if (facts.rootCauses.length > 0) {
    return facts.rootCauses.map((cause) => ({
      patternId: cause.patternId,
      template: cause.template,
      detail: `started ${cause.traces} ${cause.traces === 1 ? "trace" : "traces"} (${Math.round(cause.share * 100)} %)`,
    }));
  }
  const top = facts.patterns[0];
  return top ? [{ patternId: top.patternId, template: top.template, detail: `${top.count} errors, the most frequent pattern (no traces)` }] : [];
}

/**
 * The title a new known issue or known peak gets unless the analyst writes one: the template of the
 * first root cause or top pattern, else the peak's root cause; at most 200 characters, the title's limit.
 */
export function defaultTitle(peak: PeakDetail): string {
  const facts = peak.enrichment.investigation;
  return (facts?.rootCauses[0]?.template ?? facts?.patterns[0]?.template ?? peak.rootCause ?? "").slice(0, 200);
}

/** The peak as the shared triage panels see it: a known issue or known peak is made of the patterns the analyst picks. */
export function peakTriageSubject(peak: PeakDetail): TriageSubject {
  const isInvestigated = peak.enrichment.investigation !== null;
  return {
    noun: "peak",
    actionsUrl: `/api/peaks/${peak.id}/actions`,
    namespace: peak.namespace,
    appName: peak.appName,
    knownIssue: peak.knownIssue ? { id: peak.knownIssue.id, title: peak.knownIssue.title, isResolved: peak.knownIssue.status !== "active" } : null,
    defaultTitle: defaultTitle(peak),
    patternChoices: patternChoices(peak),
    cannotCreateReason: isInvestigated
      ? null
      : "This peak is not investigated yet, so it has no patterns to recognise a known issue by. Attach it to an existing known issue instead.",
    cannotResolveReason:
      isInvestigated || peak.knownIssue
        ? null
        : "This peak is not investigated yet: without a known issue, its root-cause patterns are what a known peak is made of. Enrich it first.",
    words: { createChoice: "New known issue from this peak's patterns", createHint: null, noApp: "Only this app (the peak has no app)" },
  };
}
