"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";
import type { LabellingResult } from "./triage-subject";

/**
 * What a finished action changed (`text`, in words), with links to the other peaks it labelled;
 * `labelledWhat` ends the sentence that lists them.
 */
export function OutcomeNotice({
  outcome,
  text,
  labelledWhat,
  timeZone,
}: {
  outcome: { result: LabellingResult };
  text: string;
  labelledWhat: string;
  timeZone: string;
}) {
  const { labelled } = outcome.result;
  const ref = useRef<HTMLDivElement>(null);
  // Focus follows the panel that closed, so that the keyboard and screen readers land here.
  useEffect(() => ref.current?.focus(), [outcome]);
  return (
    <Alert tone="success" as="div" className="pk-notice" tabIndex={-1} ref={ref}>
      {text}
      {labelled && labelled.length > 0 ? (
        <>
          {" "}
          Also labelled {labelled.length} other open {labelled.length === 1 ? "peak" : "peaks"} {labelledWhat}
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
