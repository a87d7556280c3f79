import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

/** What the known issues list says when it has no row: nothing matches the filters, or nothing exists yet. */
export function KnownIssuesEmpty({ isFiltered, canEdit }: { isFiltered: boolean; canEdit: boolean }) {
  if (isFiltered) {
    return (
      <EmptyState title="No known issue matches these filters">
        <p>Search looks in titles and descriptions, and for a whole pattern id. Clear the filters to see every known issue.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No known issues yet">
      <p>
        A known issue names a recurring problem by its error patterns or regular expressions, so that the peaks it causes are labelled instead of alerting as
        new.{" "}
        {canEdit ? (
          <>
            Create one with <Link href="/known-issues/new">New known issue</Link>, or from a peak&apos;s root cause.
          </>
        ) : (
          "Analysts create them."
        )}
      </p>
    </EmptyState>
  );
}
