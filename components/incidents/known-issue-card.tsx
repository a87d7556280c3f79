import Link from "next/link";
import type { IncidentDetail } from "@/lib/incidents/contract";

/** Whether the incident is a known issue, or repeats an incident resolved earlier (a regression), with links. */
export function KnownIssueCard({ incident }: { incident: Pick<IncidentDetail, "knownIssue" | "regressionOf"> }) {
  return (
    <section className="card" aria-labelledby="incident-known">
      <h2 id="incident-known">Known issue</h2>
      {incident.knownIssue ? (
        <p>
          Known issue{" "}
          <Link href={`/known-issues/${incident.knownIssue.id}`}>
            #{incident.knownIssue.id} “{incident.knownIssue.title}”
          </Link>
          .
        </p>
      ) : null}
      {incident.regressionOf ? (
        <p>
          <strong>Regression</strong> of “{incident.regressionOf.title}”, an incident resolved earlier with a solution (known peak #{incident.regressionOf.id});
          its windows&apos; pages show that solution.
        </p>
      ) : null}
      {!incident.knownIssue && !incident.regressionOf ? <p className="muted">Unknown: no known issue or earlier solution matches its root cause.</p> : null}
    </section>
  );
}
