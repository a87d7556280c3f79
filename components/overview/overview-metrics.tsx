import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { runBadge } from "@/lib/completeness/run-findings";
import { formatAge, formatCount } from "@/lib/format";
import type { Overview } from "@/lib/overview/contract";

const severities = ["critical", "high", "medium", "low"] as const;

function openPeaksHref(severity?: string): string {
  return `/peaks?${new URLSearchParams(severity ? { severity, status: "open" } : { status: "open" }).toString()}`;
}

export function OverviewMetrics({ overview, now }: { overview: Overview; now: number }) {
  const open = overview.openPeaksBySeverity;
  const totalOpen = open.critical + open.high + open.medium + open.low;
  return (
    <section className="grid grid-4" aria-label="Summary">
      <div className="card metric">
        <span className="metric-label">Open peaks</span>
        <span className="metric-value">
          <Link href={openPeaksHref()} className="metric-link" aria-label={`${formatCount(totalOpen)} open peaks`}>
            {formatCount(totalOpen)}
          </Link>
        </span>
        <ul className="severity-counts" aria-label="Open peaks by severity">
          {severities.map((severity) => (
            <li key={severity}>
              <Link href={openPeaksHref(severity)} className={`severity-${severity}`}>
                {formatCount(open[severity])} {severity}
              </Link>
            </li>
          ))}
        </ul>
      </div>
      <div className="card metric">
        <span className="metric-label">Namespaces watched</span>
        <span className="metric-value">{formatCount(overview.namespaceCount)}</span>
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
