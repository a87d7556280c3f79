"use client";

import { DirectActionButton, PanelButton } from "@/components/triage/action-buttons";
import { FormError } from "@/components/triage/action-panel";
import { usePanelToggle } from "@/components/triage/use-panel-toggle";
import type { IncidentDetail, IncidentOwnerOption } from "@/lib/incidents/contract";
import { describeError } from "@/lib/http/fetch-json";
import { canApply } from "@/lib/peaks/contract";
import { FalsePositivePanel } from "../../_triage/false-positive-panel";
import { KnownIssuePanel } from "../../_triage/known-issue-panel";
import { ResolvePanel } from "../../_triage/resolve-panel";
import { incidentTriageSubject } from "./incident-form-values";
import { OwnerPanel } from "./owner-panel";
import { SnoozePanel } from "./snooze-panel";
import { useIncidentAction, type IncidentOutcome } from "./use-incident";

type Panel = "acknowledge" | "assign" | "snooze" | "known_issue" | "resolve" | "false_positive";

/**
 * The triage actions an analyst may take on the incident as it stands (those the API would
 * refuse are not offered): reopen and unsnooze at once, the others through an inline form.
 */
export function IncidentActions({
  incident,
  owners,
  currentUserId,
  timeZone,
  onDone,
}: {
  incident: IncidentDetail;
  owners: readonly IncidentOwnerOption[];
  currentUserId: number | null;
  timeZone: string;
  onDone: (outcome: IncidentOutcome) => void;
}) {
  const panels = usePanelToggle<Panel>();
  const direct = useIncidentAction(incident.id, onDone);
  const subject = incidentTriageSubject(incident);
  const done = (outcome: IncidentOutcome) => {
    panels.closeAfterAction();
    onDone(outcome);
  };
  const isUntriaged = incident.status === "open" || incident.status === "acknowledged";
  const isSnoozed = incident.snooze !== null;
  const panel = panels.panel;

  return (
    <>
      <div className="pk-action-bar">
        <div className="pk-actions" role="group" aria-label="Triage">
          {canApply("acknowledge", incident.status) ? <PanelButton panels={panels} which="acknowledge" isPrimary label="Acknowledge…" /> : null}
          {canApply("known_issue", incident.status) ? (
            <PanelButton panels={panels} which="known_issue" label={incident.knownIssue ? "Change known issue" : "Mark as known issue"} />
          ) : null}
          {canApply("resolve", incident.status) ? <PanelButton panels={panels} which="resolve" label="Resolve with solution" /> : null}
          {canApply("false_positive", incident.status) ? <PanelButton panels={panels} which="false_positive" label="Mark false positive" /> : null}
          {canApply("reopen", incident.status) ? (
            <DirectActionButton request={direct} input={{ action: "reopen" }} label="Reopen" pendingLabel="Reopening…" />
          ) : null}
        </div>
        <div className="pk-actions" role="group" aria-label="Owner and snooze">
          <PanelButton panels={panels} which="assign" label={incident.owner ? "Change owner" : "Assign owner"} />
          {isSnoozed ? (
            <DirectActionButton request={direct} input={{ action: "unsnooze" }} label="Unsnooze" pendingLabel="Unsnoozing…" />
          ) : isUntriaged ? (
            <PanelButton panels={panels} which="snooze" label="Snooze…" />
          ) : null}
        </div>
      </div>
      {direct.isError ? <FormError message={describeError(direct.error)} /> : null}
      {panel === "acknowledge" || panel === "assign" ? (
        <OwnerPanel key={panel} incident={incident} mode={panel} owners={owners} currentUserId={currentUserId} onDone={done} onClose={panels.close} />
      ) : null}
      {panel === "snooze" ? <SnoozePanel incident={incident} timeZone={timeZone} onDone={done} onClose={panels.close} /> : null}
      {panel === "known_issue" ? <KnownIssuePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
      {panel === "resolve" ? <ResolvePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
      {panel === "false_positive" ? <FalsePositivePanel subject={subject} onDone={done} onClose={panels.close} /> : null}
    </>
  );
}
