"use client";

import { useRef, useState } from "react";
import type { IncidentDetail, IncidentOwnerOption } from "@/lib/incidents/contract";
import { describeError } from "@/lib/http/fetch-json";
import { canApply } from "@/lib/peaks/contract";
import { FormError } from "../../peaks/[id]/action-panel";
import { FalsePositivePanel } from "./false-positive-panel";
import { KnownIssuePanel } from "./known-issue-panel";
import { OwnerPanel } from "./owner-panel";
import { ResolvePanel } from "./resolve-panel";
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
  const [panel, setPanel] = useState<Panel | null>(null);
  const openers = useRef<Partial<Record<Panel, HTMLButtonElement | null>>>({});
  const direct = useIncidentAction(incident.id, onDone);
  const close = () => {
    const opener = panel ? openers.current[panel] : null;
    setPanel(null);
    opener?.focus();
  };
  const done = (outcome: IncidentOutcome) => {
    setPanel(null);
    onDone(outcome);
  };
  const toggle = (which: Panel) => (panel === which ? close() : setPanel(which));
  const panelButton = (which: Panel, text: string, isPrimary = false) => (
    <button
      type="button"
      className={isPrimary ? "button" : "button button-secondary"}
      ref={(element) => {
        openers.current[which] = element;
      }}
      aria-expanded={panel === which}
      aria-controls={panel === which ? `panel-${which.replace("_", "-")}` : undefined}
      onClick={() => toggle(which)}
    >
      {text}
    </button>
  );
  const isUntriaged = incident.status === "open" || incident.status === "acknowledged";
  const isSnoozed = incident.snooze !== null;

  return (
    <>
      <div className="pk-action-bar">
        <div className="pk-actions" role="group" aria-label="Triage">
          {canApply("acknowledge", incident.status) ? panelButton("acknowledge", "Acknowledge…", true) : null}
          {canApply("known_issue", incident.status) ? panelButton("known_issue", incident.knownIssue ? "Change known issue" : "Mark as known issue") : null}
          {canApply("resolve", incident.status) ? panelButton("resolve", "Resolve with solution") : null}
          {canApply("false_positive", incident.status) ? panelButton("false_positive", "Mark false positive") : null}
          {canApply("reopen", incident.status) ? (
            <button type="button" className="button button-secondary" disabled={direct.isPending} onClick={() => direct.mutate({ action: "reopen" })}>
              {direct.isPending && direct.variables?.action === "reopen" ? "Reopening…" : "Reopen"}
            </button>
          ) : null}
        </div>
        <div className="pk-actions" role="group" aria-label="Owner and snooze">
          {panelButton("assign", incident.owner ? "Change owner" : "Assign owner")}
          {isSnoozed ? (
            <button type="button" className="button button-secondary" disabled={direct.isPending} onClick={() => direct.mutate({ action: "unsnooze" })}>
              {direct.isPending && direct.variables?.action === "unsnooze" ? "Unsnoozing…" : "Unsnooze"}
            </button>
          ) : isUntriaged ? (
            panelButton("snooze", "Snooze…")
          ) : null}
        </div>
      </div>
      {direct.isError ? <FormError message={describeError(direct.error)} /> : null}
      {panel === "acknowledge" || panel === "assign" ? (
        <OwnerPanel key={panel} incident={incident} mode={panel} owners={owners} currentUserId={currentUserId} onDone={done} onClose={close} />
      ) : null}
      {panel === "snooze" ? <SnoozePanel incident={incident} timeZone={timeZone} onDone={done} onClose={close} /> : null}
      {panel === "known_issue" ? <KnownIssuePanel incident={incident} onDone={done} onClose={close} /> : null}
      {panel === "resolve" ? <ResolvePanel incident={incident} onDone={done} onClose={close} /> : null}
      {panel === "false_positive" ? <FalsePositivePanel incident={incident} onDone={done} onClose={close} /> : null}
    </>
  );
}
