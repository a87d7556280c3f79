import Link from "next/link";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";

/** The known issue the peak matched, or the resolved incident it repeats with its solution. */
export function KnownIssueMatch({ peak, timeZone }: { peak: Pick<PeakDetail, "knownIssue" | "regressionOf" | "enrichment">; timeZone: string }) {
  const { knownIssue, regressionOf } = peak;
  return (
    <section className="card" aria-labelledby="known-issue">
      <h2 id="known-issue">Known issue</h2>
      {knownIssue ? (
        <dl className="facts">
          <dt>Issue</dt>
          <dd>
            <Link href={`/known-issues/${knownIssue.id}`}>
              #{knownIssue.id} {knownIssue.title}
            </Link>{" "}
            <span className="muted">({knownIssue.status})</span>
          </dd>
          {knownIssue.description ? (
            <>
              <dt>Description</dt>
              <dd className="pk-prose">{knownIssue.description}</dd>
            </>
          ) : null}
          {knownIssue.link ? (
            <>
              <dt>Link</dt>
              <dd className="pk-break">
                <a href={knownIssue.link} rel="noreferrer" target="_blank">
                  {knownIssue.link}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {regressionOf ? (
        <div className="alert" role="note" style={{ borderColor: "var(--warning)", background: "#fffaeb" }}>
          <strong>Regression:</strong> this root cause was resolved before as “{regressionOf.title}” on {formatDateTime(regressionOf.resolvedAt, timeZone)}.
          <p className="pk-prose" style={{ marginTop: "0.4rem" }}>
            <strong>Earlier solution:</strong> {regressionOf.solution}
          </p>
          {regressionOf.link ? (
            <a href={regressionOf.link} rel="noreferrer" target="_blank" className="pk-break">
              {regressionOf.link}
            </a>
          ) : null}
        </div>
      ) : null}
      {!knownIssue && !regressionOf ? (
        <p className="muted">
          {peak.enrichment.enrichedAt === null
            ? "Not matched yet: the peak is not investigated."
            : "No known issue or earlier incident matches this root cause."}
        </p>
      ) : null}
    </section>
  );
}
