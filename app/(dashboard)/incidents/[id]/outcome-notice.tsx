"use client";

import { OutcomeNotice } from "@/components/triage/outcome-notice";
import { describeSnooze } from "@/lib/incidents/words";
import type { IncidentOutcome } from "./use-incident";

function outcomeText({ action, result }: IncidentOutcome, timeZone: string): string {
  const { incident, knownPeakId } = result;
  const windows = incident.windows === 1 ? "its window" : `all its ${incident.windows} windows`;
  switch (action) {
    case "acknowledge":
      return `Acknowledged, with ${windows}${incident.owner ? `; owner ${incident.owner.email}` : ""}.`;
    case "assign":
      return incident.owner ? `The owner is now ${incident.owner.email}.` : "The incident has no owner now.";
    case "reopen":
      return `Reopened, with ${windows}.`;
    case "false_positive":
      return `Marked as a false positive, with ${windows}.`;
    case "resolve":
      return `Resolved, with ${windows}: the solution is kept as known peak #${knownPeakId ?? "?"}, so a recurrence shows as a regression.`;
    case "snooze":
      return incident.snooze ? `${describeSnooze(incident.snooze, timeZone).replace(/^s/, "S")}.` : "Snoozed.";
    case "unsnooze":
      return "The snooze is lifted.";
    case "attach_known_issue":
    case "create_known_issue":
      return incident.knownIssue
        ? `Marked as known issue #${incident.knownIssue.id} “${incident.knownIssue.title}”, with ${windows}.`
        : `Marked as a known issue, with ${windows}.`;
  }
}

/** What a finished action changed, in words, with links to the other peaks it labelled. */
export function IncidentOutcomeNotice({ outcome, timeZone }: { outcome: IncidentOutcome; timeZone: string }) {
  return (
    <OutcomeNotice outcome={outcome} text={outcomeText(outcome, timeZone)} labelledWhat="with the same root cause, and their incidents:" timeZone={timeZone} />
  );
}
