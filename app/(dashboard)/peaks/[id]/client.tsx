"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { AiSummary } from "@/components/peaks/ai-summary";
import { AuditTrail } from "@/components/peaks/audit-trail";
import { DeliveriesTable } from "@/components/peaks/deliveries-table";
import { KnownIssueMatch } from "@/components/peaks/known-issue-match";
import { NotesList } from "@/components/peaks/notes-list";
import { PatternChanges } from "@/components/peaks/pattern-changes";
import { PeakLabel } from "@/components/peaks/peak-label";
import { RootCauseSection } from "@/components/peaks/root-cause-section";
import { WindowCorrections } from "@/components/peaks/window-corrections";
import { WhyFlagged } from "@/components/peaks/why-flagged";
import { Badge } from "@/components/ui/badge";
import type { DecisionThresholds, PeakDetail } from "@/lib/db/peak-triage";
import { formatCount, formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { explainPeak, formatRatio } from "@/lib/peaks/explain";
import type { NewNormalRecord } from "@/lib/new-normal/schema";
import { formatLocalTime } from "@/lib/peaks/timeline";
import { statusLabels } from "@/lib/peaks/words";
import { isYoungBaseline } from "@/lib/pipeline/detect";
import { NewNormalNotice } from "./new-normal-panel";
import { NoteForm } from "./note-form";
import { PeakActions, type ActionOutcome } from "./peak-actions";
import { PeakChart } from "./peak-chart";

/** Other peaks of a plateau listed by name before "and N more". */
const LISTED_CONTINUATIONS = 6;

function PlateauLinks({ peak, timeZone }: { peak: PeakDetail; timeZone: string }) {
  const plateau = peak.plateau;
  if (!plateau) return null;
  const windows = plateau.continuations.length + 1;
  if (plateau.first.id !== peak.id) {
    return (
      <span>
        Continues the plateau of {windows} windows that began with{" "}
        <Link href={`/peaks/${plateau.first.id}`}>
          peak #{plateau.first.id} at {formatLocalTime(plateau.first.timestamp, timeZone)}
        </Link>
        .
      </span>
    );
  }
  const listed = plateau.continuations.slice(0, LISTED_CONTINUATIONS);
  return (
    <span>
      First window of a plateau of {windows}, continued by{" "}
      {listed.map((continuation, index) => (
        <span key={continuation.id}>
          {index > 0 ? ", " : ""}
          <Link href={`/peaks/${continuation.id}`}>
            #{continuation.id} ({formatLocalTime(continuation.timestamp, timeZone)})
          </Link>
        </span>
      ))}
      {plateau.continuations.length > listed.length ? ` and ${plateau.continuations.length - listed.length} more` : ""}.
    </span>
  );
}

/** What a finished action changed, in words, with links to the other peaks it labelled. */
function OutcomeNotice({ outcome, timeZone }: { outcome: ActionOutcome; timeZone: string }) {
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
    <div className="alert alert-success pk-notice" role="status" tabIndex={-1} ref={ref}>
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
    </div>
  );
}

type PeakClientProps = { initialPeak: PeakDetail; thresholds: DecisionThresholds | null; timeZone: string; windowMinutes: number; canEdit: boolean };

export function PeakClient({ initialPeak, thresholds, timeZone, windowMinutes, canEdit }: PeakClientProps) {
  const queryClient = useQueryClient();
  const peakId = initialPeak.id;
  const query = useQuery({
    queryKey: ["peak", peakId],
    queryFn: ({ signal }) => fetchJson<PeakDetail>(`/api/peaks/${peakId}`, { signal }),
    initialData: initialPeak,
  });
  const peak = query.data;
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [acceptedNewNormal, setAcceptedNewNormal] = useState<NewNormalRecord | null>(null);
  const explanation = useMemo(() => explainPeak(peak.decision, thresholds), [peak.decision, thresholds]);
  const end = new Date(Date.parse(peak.timestamp) + windowMinutes * 60_000).toISOString();

  // A change shows on this page, on the timeline, on the chart's markers and on the known issues.
  const refresh = () => Promise.all(["peak", "peaks", "namespace-series", "known-issues"].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));

  return (
    <>
      <header className="page-header">
        <div>
          <p className="pk-breadcrumb">
            <Link href="/peaks">Peaks</Link> › <Link href={`/namespaces/${encodeURIComponent(peak.namespace)}`}>{peak.namespace}</Link>
          </p>
          <h1>
            Peak #{peak.id} in {peak.namespace}
          </h1>
          <div className="pk-head-meta">
            <span>
              {formatDateTime(peak.timestamp, timeZone)}–{formatLocalTime(end, timeZone)} <span className="muted">({timeZone})</span>
            </span>
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

      {query.isError ? (
        <p className="alert alert-error" role="alert">
          Could not refresh the peak: {query.error.message}
        </p>
      ) : null}
      {outcome ? <OutcomeNotice outcome={outcome} timeZone={timeZone} /> : null}
      {acceptedNewNormal ? <NewNormalNotice record={acceptedNewNormal} timeZone={timeZone} /> : null}
      {canEdit ? (
        <PeakActions
          peak={peak}
          timeZone={timeZone}
          onDone={(done) => {
            setAcceptedNewNormal(null);
            setOutcome(done);
            void refresh();
          }}
          onNewNormal={(record) => {
            setOutcome(null);
            setAcceptedNewNormal(record);
            // The open peaks since its start are acknowledged (this one among them), the chart's
            // baseline changed, and the namespace page lists the acceptance.
            void refresh();
            void queryClient.invalidateQueries({ queryKey: ["new-normals"] });
          }}
        />
      ) : null}

      <WindowCorrections corrections={peak.corrections} timeZone={timeZone} />

      <PeakChart peakId={peak.id} namespace={peak.namespace} timestamp={peak.timestamp} windowMinutes={windowMinutes} timeZone={timeZone} />

      <div className="pk-two-columns">
        <div className="pk-column">
          <WhyFlagged explanation={explanation} isYoungBaseline={isYoungBaseline(peak.decision.baselineSource)} />
          <RootCauseSection enrichment={peak.enrichment} timeZone={timeZone} peakId={peak.id} />
        </div>
        <div className="pk-column">
          <KnownIssueMatch peak={peak} timeZone={timeZone} />
          <AiSummary ai={peak.ai} timeZone={timeZone} />
          <section className="card" aria-labelledby="notes">
            <h2 id="notes">Notes</h2>
            <NotesList notes={peak.notes} timeZone={timeZone} />
            {canEdit ? <NoteForm peakId={peak.id} onAdded={() => void refresh()} /> : null}
          </section>
          <DeliveriesTable deliveries={peak.deliveries} timeZone={timeZone} isContinuation={peak.continuesPeakId !== null} />
          <AuditTrail entries={peak.audit} timeZone={timeZone} />
        </div>
      </div>
      <div className="pk-wide">
        <PatternChanges facts={peak.enrichment.investigation} timeZone={timeZone} />
      </div>
    </>
  );
}
