import Link from "next/link";

/** The known-issue or regression label of a peak, "unknown" without either. */
export function PeakLabel({
  knownIssue,
  regressionOf,
}: {
  knownIssue: { id: number; title: string } | null;
  regressionOf: { id: number; title: string } | null;
}) {
  if (!knownIssue && !regressionOf) return <span className="muted">unknown</span>;
  return (
    <>
      {knownIssue ? (
        <span>
          Known: <Link href={`/known-issues/${knownIssue.id}`}>{knownIssue.title}</Link>
        </span>
      ) : null}
      {knownIssue && regressionOf ? <br /> : null}
      {regressionOf ? <span>Regression of “{regressionOf.title}”</span> : null}
    </>
  );
}
