"use client";

import { DirectActionButton, PanelButton } from "@/components/triage/action-buttons";
import { FormError } from "@/components/triage/action-panel";
import { usePanelToggle } from "@/components/triage/use-panel-toggle";
import { describeError } from "@/lib/http/fetch-json";
import type { NewNormalRecord } from "@/lib/new-normal/contract";
import { canApply, type PeakDetail } from "@/lib/peaks/contract";
import { FalsePositivePanel } from "../../_triage/false-positive-panel";
import { KnownIssuePanel } from "../../_triage/known-issue-panel";
import { ResolvePanel } from "../../_triage/resolve-panel";
import { NewNormalPanel } from "./new-normal-panel";
import { peakTriageSubject } from "./peak-form-values";
import { usePeakAction, type ActionOutcome } from "./use-peak-action";

type Panel = "known_issue" | "false_positive" | "resolve" | "new_normal";

/**
 * The triage actions an analyst may take on the peak in its status (those the API would refuse
 * are not offered): acknowledge and reopen at once, the others through an inline form. Beside
 * them, accepting the namespace's new level as normal, which is about the namespace's baseline
 * rather than this peak, so it is offered whatever the peak's status.
 */
export function PeakActions({
  peak,
  timeZone,
  onDone,
  onNewNormal,
}: {
  peak: PeakDetail;
  timeZone: string;
  onDone: (outcome: ActionOutcome) => void;
  onNewNormal: (record: NewNormalRecord) => void;
}) {
  const panels = usePanelToggle<Panel>();
  const direct = usePeakAction(peak.id, onDone);
  const subject = peakTriageSubject(peak);
  const done = (outcome: ActionOutcome) => {
    panels.closeAfterAction();
    onDone(outcome);
  };

  return (
    <>
      <div className="pk-action-bar">
        <div className="pk-actions" role="group" aria-label="Triage">
          {canApply("acknowledge", peak.status) ? (
            <DirectActionButton request={direct} input={{ action: "acknowledge" }} label="Acknowledge" pendingLabel="Acknowledging…" isPrimary />
          ) : null}
          {canApply("known_issue", peak.status) ? (
            <PanelButton panels={panels} which="known_issue" label={peak.knownIssue ? "Change known issue" : "Mark as known issue"} />
          ) : null}
          {canApply("resolve", peak.status) ? <PanelButton panels={panels} which="resolve" label="Resolve with solution" /> : null}
          {canApply("false_positive", peak.status) ? <PanelButton panels={panels} which="false_positive" label="Mark false positive" /> : null}
          {canApply("reopen", peak.status) ? (
            <DirectActionButton request={direct} input={{ action: "reopen" }} label="Reopen" pendingLabel="Reopening…" />
          ) : null}
        </div>
        <div className="pk-actions" role="group" aria-label="Baseline of the namespace">
          <PanelButton panels={panels} which="new_normal" label="Accept as the new normal" />
        </div>
      </div>
      {direct.isError ? <FormError message={describeError(direct.error)} /> : null}
      {panels.panel === "known_issue" ? <KnownIssuePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
      {panels.panel === "false_positive" ? <FalsePositivePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
      {panels.panel === "resolve" ? <ResolvePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
      {panels.panel === "new_normal" ? (
        <NewNormalPanel
          peak={peak}
          timeZone={timeZone}
          onClose={panels.close}
          onAccepted={(record) => {
            panels.closeAfterAction();
            onNewNormal(record);
          }}
        />
      ) : null}
    </>
  );
}
