import { z } from "zod";
import type { PeakAuditEntry, PeakStatus } from "./contract";

/** A status as the dashboard shows it. */
export const statusLabels: Record<PeakStatus, string> = {
  open: "open",
  acknowledged: "acknowledged",
  known_issue: "known issue",
  false_positive: "false positive",
  resolved: "resolved",
};

/** A status in a sentence: "Peak 4 is marked as a known issue". */
export const statusWords: Record<PeakStatus, string> = {
  open: "open",
  acknowledged: "acknowledged",
  known_issue: "marked as a known issue",
  false_positive: "marked as a false positive",
  resolved: "resolved",
};

// Audit details as the actions of lib/peaks/triage.ts write them; every field optional, so
// that an entry written by an older version still reads.
const detailsSchema = z
  .object({
    from: z.string(),
    reason: z.string(),
    // A resolution of a peak without a known issue writes null.
    knownIssueId: z
      .number()
      .nullable()
      .transform((id) => id ?? undefined),
    title: z.string(),
    created: z.boolean(),
    labelledPeakIds: z.array(z.number()),
    sourcePeakId: z.number().nullable(),
    solution: z.string(),
    resolvedKnownIssue: z.boolean(),
  })
  .partial();

const quote = (text: string) => `“${text}”`;

function issueName(details: z.output<typeof detailsSchema>): string {
  const id = details.knownIssueId === undefined ? "a known issue" : `known issue #${details.knownIssueId}`;
  return details.title ? `${id} ${quote(details.title)}` : id;
}

function wasWords(from: string | undefined): string {
  return from && from in statusWords ? ` (it was ${statusWords[from as PeakStatus]})` : "";
}

/** What an audit entry of a peak did, in words, without the actor: "acknowledged the peak". */
export function describeAuditEntry(entry: Pick<PeakAuditEntry, "action" | "details">): string {
  const parsed = detailsSchema.safeParse(entry.details);
  const details = parsed.success ? parsed.data : {};
  switch (entry.action) {
    case "peak.acknowledge":
      return "acknowledged the peak";
    case "peak.reopen":
      return `reopened the peak${wasWords(details.from)}`;
    case "peak.false_positive":
      return `marked it as a false positive${details.reason ? `: ${quote(details.reason)}` : ""}`;
    case "peak.mark_known_issue": {
      const what = details.created ? `created ${issueName(details)} from it` : `attached it to ${issueName(details)}`;
      const count = details.labelledPeakIds?.length ?? 0;
      return count > 0 ? `${what}, and labelled ${count} other open ${count === 1 ? "peak" : "peaks"} with the same root cause` : what;
    }
    case "peak.label_matching":
      return details.sourcePeakId === null
        ? `labelled it ${issueName(details)}: its root cause matched when the issue was created`
        : `labelled it ${issueName(details)}: its root cause matched when peak #${details.sourcePeakId ?? "?"} was marked`;
    case "peak.resolve":
      return `resolved it${details.solution ? ` with the solution ${quote(details.solution)}` : ""}${details.resolvedKnownIssue ? ", which resolved its known issue" : ""}`;
    case "peak.note":
      return "added a note";
    default:
      return entry.action;
  }
}

/**
 * A root cause as a list shows it: fully qualified class names shortened to the class
 * (`java.sql.SQLTransientConnectionException: …` → `SQLTransientConnectionException: …`,
 * `at com.example.ledger.PoolGuard.acquire` → `at PoolGuard.acquire`), so that what the
 * message says fits next to the exception it names. The full text stays in the tooltip.
 */
export function shortRootCause(text: string): string {
  return text.replace(/\b(?:[a-z_][a-z0-9_]*\.){2,}(?=[A-Z])/g, "");
}
