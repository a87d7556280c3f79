import type { LabelledPeak } from "@/lib/known-issues/contract";

/** A root-cause pattern a new known issue or known peak can be recognised by. */
export type PatternChoice = { patternId: string; template: string; detail: string };

/**
 * What the shared triage panels need of the record they act on (a peak, or an incident and all
 * its windows), with the words that differ between the two.
 */
export type TriageSubject = {
  /** What the panels call it: "peak" or "incident"; "other open peaks" and "later incidents" say it in the plural. */
  noun: "peak" | "incident";
  /** Where its actions are posted: POST /api/peaks/[id]/actions or /api/incidents/[id]/actions. */
  actionsUrl: string;
  namespace: string;
  appName: string | null;
  /** Its known issue; `isResolved` only where the record knows the issue's status (a peak). */
  knownIssue: { id: number; title: string; isResolved: boolean } | null;
  /** The title a new known issue or known peak gets unless the analyst writes one. */
  defaultTitle: string;
  /** The patterns the analyst chooses from (a peak's), or null where the API takes its root cause's (an incident's). */
  patternChoices: readonly PatternChoice[] | null;
  /** Why no known issue can be made from its patterns (it is not investigated), else null. */
  cannotCreateReason: string | null;
  /** Why it cannot be resolved (not investigated, and for a peak, no known issue either), else null. */
  cannotResolveReason: string | null;
  words: {
    /** The known-issue panel's choice of a new issue. */
    createChoice: string;
    /** Said above a new known issue's fields, if anything. */
    createHint: string | null;
    /** The scope picker's "only this app" choice when no app is known. */
    noApp: string;
  };
};

/** A triage action done: which action, and the API's answer. */
export type TriageOutcome<Action extends string, Result> = { action: Action; result: Result };

/** What every action's answer tells of the other open peaks it labelled (marking as a known issue only). */
export type LabellingResult = { labelled?: LabelledPeak[] };
