"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { describeSnooze } from "@/lib/incidents/words";
import { formatDateTime } from "@/lib/format";
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
export function OutcomeNotice({ outcome, timeZone }: { outcome: IncidentOutcome; timeZone: string }) {
  const { labelled } = outcome.result;
  const ref = useRef<HTMLDivElement>(null);
  // Focus follows the panel that closed, so that the keyboard and screen readers land here.
  useEffect(() => ref.current?.focus(), [outcome]);
  return (
    <Alert tone="success" as="div" className="pk-notice" tabIndex={-1} ref={ref}>
      {outcomeText(outcome, timeZone)}
      {labelled && labelled.length > 0 ? (
        <>
          {" "}
          Also labelled {labelled.length} other open {labelled.length === 1 ? "peak" : "peaks"} with the same root cause, and their incidents:
          <ul>
            {labelled.map((other) => (
              <li key={other.id}>
                <Link href={`/peaks/${other.id}`}>
                  Peak #{other.id}, {other.namespace} at {formatDateTime(other.timestamp, timeZone)}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Alert>
  );
}
