"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";
import type { ActionOutcome } from "./use-peak-action";

/** What a finished action changed, in words, with links to the other peaks it labelled. */
export function OutcomeNotice({ outcome, timeZone }: { outcome: ActionOutcome; timeZone: string }) {
  const { peak, labelled, knownPeakId } = outcome.result;
  const ref = useRef<HTMLDivElement>(null);
  // Focus follows the panel that closed, so that the keyboard and screen readers land here.
  useEffect(() => ref.current?.focus(), [outcome]);
  let text: string;
  switch (outcome.action) {
    case "acknowledge":
      text = "Acknowledged.";
      break;
    case "reopen":
      text = "Reopened.";
      break;
    case "false_positive":
      text = "Marked as a false positive.";
      break;
    case "resolve":
      text = `Resolved: the solution is kept as known peak #${knownPeakId ?? "?"}, so a recurrence shows as a regression.`;
      break;
    default:
      text = peak.knownIssue ? `Marked as known issue #${peak.knownIssue.id} “${peak.knownIssue.title}”.` : "Marked as a known issue.";
  }
  return (
    <Alert tone="success" as="div" className="pk-notice" tabIndex={-1} ref={ref}>
      {text}
      {labelled && labelled.length > 0 ? (
        <>
          {" "}
          Also labelled {labelled.length} other open {labelled.length === 1 ? "peak" : "peaks"} with the same root cause:
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
