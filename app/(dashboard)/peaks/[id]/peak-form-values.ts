import type { PeakDetail } from "@/lib/peaks/contract";

/** The first problem zod finds with a form's values, worded like the API's field issues. */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return "The form is not valid";
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

/** The patterns a new known issue or known peak can be recognised by: the root causes, or the top pattern of an untraced window. */
export function patternChoices(peak: PeakDetail): { patternId: string; template: string; detail: string }[] {
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
