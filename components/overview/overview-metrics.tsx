import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { runBadge } from "@/lib/completeness/run-findings";
import { formatAge, formatCount } from "@/lib/format";
import { severities, type Overview } from "@/lib/overview/contract";

const OPEN_INCIDENTS_HREF = "/incidents?status=open,acknowledged";

export function OverviewMetrics({ overview, now }: { overview: Overview; now: number }) {
  const open = overview.openIncidents;
  const totalOpen = severities.reduce((sum, severity) => sum + open[severity].total, 0);
  const acknowledged = severities.reduce((sum, severity) => sum + open[severity].acknowledged, 0);
  const namespaces = overview.namespaces;
  return (
    <section className="grid grid-4" aria-label="Summary">
      <div className="card metric">
        <span className="metric-label">Open incidents</span>
        <span className="metric-value">
          <Link href={OPEN_INCIDENTS_HREF} className="metric-link" aria-label={`${formatCount(totalOpen)} open incidents`}>
            {formatCount(totalOpen)}
          </Link>
        </span>
        <ul className="severity-counts" aria-label="Open incidents by severity">
          {severities.map((severity) => (
            <li key={severity} className={`severity-${severity}`}>
              {formatCount(open[severity].total)} {severity}
              {open[severity].acknowledged > 0 ? <span className="muted"> ({formatCount(open[severity].acknowledged)} acknowledged)</span> : null}
            </li>
          ))}
        </ul>
        <span className="muted metric-note">
          {acknowledged === 0 ? "None acknowledged yet." : `${formatCount(acknowledged)} of them acknowledged, still open until resolved.`}
        </span>
      </div>
      <div className="card metric">
        <span className="metric-label">Namespaces above threshold now</span>
        <span className="metric-value">
          {formatCount(namespaces.above)}
          <span className="metric-of"> of {formatCount(namespaces.total)}</span>
        </span>
        <span className="muted">
          {namespaces.judged === namespaces.total
            ? "Judged on the last completed window."
            : `${formatCount(namespaces.total - namespaces.judged)} without data in the last completed window.`}
        </span>
      </div>
      <div className="card metric">
        <span className="metric-label">Last pipeline run</span>
        {overview.lastRun ? (
          <>
            <span className="metric-value">
              <Badge tone={runBadge(overview.lastRun).tone}>{runBadge(overview.lastRun).label}</Badge>
            </span>
            <span className="muted">
              <Link href="/runs">Run #{overview.lastRun.id}</Link> started {formatAge(overview.lastRun.startedAt, now)}
            </span>
          </>
        ) : (
          <span className="muted">
            No run yet; see <Link href="/runs">Pipeline runs</Link>
          </span>
        )}
      </div>
    </section>
  );
}
