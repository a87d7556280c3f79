"use client";

import { OutcomeNotice } from "@/components/triage/outcome-notice";
import type { ActionOutcome } from "./use-peak-action";

function outcomeText({ action, result }: ActionOutcome): string {
  switch (action) {
    case "acknowledge":
      return "Acknowledged.";
    case "reopen":
      return "Reopened.";
    case "false_positive":
      return "Marked as a false positive.";
    case "resolve":
      return `Resolved: the solution is kept as known peak #${result.knownPeakId ?? "?"}, so a recurrence shows as a regression.`;
    case "attach_known_issue":
    case "create_known_issue":
      return result.peak.knownIssue ? `Marked as known issue #${result.peak.knownIssue.id} “${result.peak.knownIssue.title}”.` : "Marked as a known issue.";
  }
}

/** What a finished action changed, in words, with links to the other peaks it labelled. */
export function PeakOutcomeNotice({ outcome, timeZone }: { outcome: ActionOutcome; timeZone: string }) {
  return <OutcomeNotice outcome={outcome} text={outcomeText(outcome)} labelledWhat="with the same root cause:" timeZone={timeZone} />;
}
