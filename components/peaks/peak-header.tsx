import Link from "next/link";
import { LogsLink } from "@/components/peaks/logs-link";
import { PeakLabel } from "@/components/peaks/peak-label";
import { PlateauLinks } from "@/components/peaks/plateau-links";
import { Badge } from "@/components/ui/badge";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { formatRatio } from "@/lib/peaks/explain";
import { formatLocalTime } from "@/lib/peaks/timeline";
import { statusLabels } from "@/lib/peaks/words";

/** A peak's page header: where it is, when, how severe and big, its label, its plateau and its neighbours. */
export function PeakHeader({ peak, timeZone, windowMinutes }: { peak: PeakDetail; timeZone: string; windowMinutes: number }) {
  const end = new Date(Date.parse(peak.timestamp) + windowMinutes * 60_000).toISOString();
  return (
    <header className="page-header">
      <div>
        <p className="pk-breadcrumb">
          <Link href="/peaks">Peaks</Link> › <Link href={`/namespaces/${encodeURIComponent(peak.namespace)}`}>{peak.namespace}</Link>
        </p>
        <h1>
          Peak #{peak.id} in {peak.namespace}
        </h1>
        {peak.incident ? (
          <p className="pk-incident-line">
            Part of{" "}
            <Link href={`/incidents/${peak.incident.id}`}>
              incident #{peak.incident.id} ({peak.incident.windows} {peak.incident.windows === 1 ? "window" : "windows"}, {statusLabels[peak.incident.status]})
            </Link>
            <span className="muted">: triage it there to act on all its windows at once.</span>
          </p>
        ) : null}
        <div className="pk-head-meta">
          <span>
            {formatDateTime(peak.timestamp, timeZone)}–{formatLocalTime(end, timeZone)} <span className="muted">({timeZone})</span>
          </span>
          {peak.logLinks.window ? <LogsLink href={peak.logLinks.window} subject="this window" /> : null}
          <Badge tone={peak.severity}>{peak.severity}</Badge>
          <Badge tone={peak.status}>{statusLabels[peak.status]}</Badge>
          <span>
            {formatCount(peak.errorCount)} errors, {peak.baselineMean > 0 ? `${formatRatio(peak.ratio)} the baseline` : "no baseline"}
          </span>
          <span>
            <PeakLabel knownIssue={peak.knownIssue} regressionOf={peak.regressionOf} />
          </span>
        </div>
        <div className="pk-nav-links">
          <PlateauLinks peak={peak} timeZone={timeZone} />
          {peak.neighbours.previous ? (
            <Link href={`/peaks/${peak.neighbours.previous.id}`}>
              ← Previous peak in {peak.namespace} ({formatDateTime(peak.neighbours.previous.timestamp, timeZone)})
            </Link>
          ) : null}
          {peak.neighbours.next ? (
            <Link href={`/peaks/${peak.neighbours.next.id}`}>
              Next peak in {peak.namespace} ({formatDateTime(peak.neighbours.next.timestamp, timeZone)}) →
            </Link>
          ) : null}
        </div>
      </div>
    </header>
  );
}
