"use client";

import { useMemo, useState } from "react";
import { AiSummary } from "@/components/peaks/ai-summary";
import { AuditTrail } from "@/components/peaks/audit-trail";
import { DeliveriesTable } from "@/components/peaks/deliveries-table";
import { KnownIssueMatch } from "@/components/peaks/known-issue-match";
import { NotesList } from "@/components/peaks/notes-list";
import { PatternChanges } from "@/components/peaks/pattern-changes";
import { PeakHeader } from "@/components/peaks/peak-header";
import { RootCauseSection } from "@/components/peaks/root-cause-section";
import { WindowCorrections } from "@/components/peaks/window-corrections";
import { WhyFlagged } from "@/components/peaks/why-flagged";
import { Alert } from "@/components/ui/alert";
import type { DecisionThresholds, PeakDetail } from "@/lib/peaks/contract";
import { explainPeak } from "@/lib/peaks/explain";
import type { NewNormalRecord } from "@/lib/new-normal/contract";
import { isYoungBaseline } from "@/lib/pipeline/detect";
import { NewNormalNotice } from "./new-normal-panel";
import { NoteForm } from "./note-form";
import { PeakOutcomeNotice } from "./outcome-notice";
import { PeakActions } from "./peak-actions";
import { PeakChart } from "./peak-chart";
import type { ActionOutcome } from "./use-peak-action";
import { usePeak } from "./use-peak";

type PeakClientProps = { initialPeak: PeakDetail; thresholds: DecisionThresholds | null; timeZone: string; windowMinutes: number; canEdit: boolean };

export function PeakClient({ initialPeak, thresholds, timeZone, windowMinutes, canEdit }: PeakClientProps) {
  const { query, refresh, refreshNewNormals } = usePeak(initialPeak);
  const peak = query.data;
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [acceptedNewNormal, setAcceptedNewNormal] = useState<NewNormalRecord | null>(null);
  const explanation = useMemo(() => explainPeak(peak.decision, thresholds), [peak.decision, thresholds]);

  return (
    <>
      <PeakHeader peak={peak} timeZone={timeZone} windowMinutes={windowMinutes} />

      {query.isError ? <Alert tone="error">Could not refresh the peak: {query.error.message}</Alert> : null}
      {outcome ? <PeakOutcomeNotice outcome={outcome} timeZone={timeZone} /> : null}
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
            void refreshNewNormals();
          }}
        />
      ) : null}

      <WindowCorrections corrections={peak.corrections} timeZone={timeZone} />

      <PeakChart peakId={peak.id} namespace={peak.namespace} timestamp={peak.timestamp} windowMinutes={windowMinutes} timeZone={timeZone} />

      <div className="pk-two-columns">
        <div className="pk-column">
          <WhyFlagged explanation={explanation} isYoungBaseline={isYoungBaseline(peak.decision.baselineSource)} />
          <RootCauseSection enrichment={peak.enrichment} timeZone={timeZone} peakId={peak.id} logLinks={peak.logLinks} />
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
        <PatternChanges facts={peak.enrichment.investigation} namespace={peak.namespace} timeZone={timeZone} />
      </div>
    </>
  );
}
