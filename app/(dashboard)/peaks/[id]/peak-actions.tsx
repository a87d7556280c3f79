"use client";

import { useRef, useState } from "react";
import type { PeakDetail } from "@/lib/peaks/contract";
import { describeError } from "@/lib/http/fetch-json";
import { canApply } from "@/lib/peaks/contract";
import type { NewNormalRecord } from "@/lib/new-normal/contract";
import { FormError } from "./action-panel";
import { FalsePositivePanel } from "./false-positive-panel";
import { KnownIssuePanel } from "./known-issue-panel";
import { NewNormalPanel } from "./new-normal-panel";
import { ResolvePanel } from "./resolve-panel";
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
  const [panel, setPanel] = useState<Panel | null>(null);
  const openers = useRef<Partial<Record<Panel, HTMLButtonElement | null>>>({});
  const direct = usePeakAction(peak.id, onDone);
  const close = () => {
    const opener = panel ? openers.current[panel] : null;
    setPanel(null);
    opener?.focus();
  };
  const done = (outcome: ActionOutcome) => {
    setPanel(null);
    onDone(outcome);
  };
  const toggle = (which: Panel) => (panel === which ? close() : setPanel(which));
  const panelButton = (which: Panel, text: string) => (
    <button
      type="button"
      className="button button-secondary"
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

  return (
    <>
      <div className="pk-action-bar">
        <div className="pk-actions" role="group" aria-label="Triage">
          {canApply("acknowledge", peak.status) ? (
            <button type="button" className="button" disabled={direct.isPending} onClick={() => direct.mutate({ action: "acknowledge" })}>
              {direct.isPending && direct.variables?.action === "acknowledge" ? "Acknowledging…" : "Acknowledge"}
            </button>
          ) : null}
          {canApply("known_issue", peak.status) ? panelButton("known_issue", peak.knownIssue ? "Change known issue" : "Mark as known issue") : null}
          {canApply("resolve", peak.status) ? panelButton("resolve", "Resolve with solution") : null}
          {canApply("false_positive", peak.status) ? panelButton("false_positive", "Mark false positive") : null}
          {canApply("reopen", peak.status) ? (
            <button type="button" className="button button-secondary" disabled={direct.isPending} onClick={() => direct.mutate({ action: "reopen" })}>
              {direct.isPending && direct.variables?.action === "reopen" ? "Reopening…" : "Reopen"}
            </button>
          ) : null}
        </div>
        <div className="pk-actions" role="group" aria-label="Baseline of the namespace">
          {panelButton("new_normal", "Accept as the new normal")}
        </div>
      </div>
      {direct.isError ? <FormError message={describeError(direct.error)} /> : null}
      {panel === "known_issue" ? <KnownIssuePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "false_positive" ? <FalsePositivePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "resolve" ? <ResolvePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "new_normal" ? (
        <NewNormalPanel
          peak={peak}
          timeZone={timeZone}
          onClose={close}
          onAccepted={(record) => {
            setPanel(null);
            onNewNormal(record);
          }}
        />
      ) : null}
    </>
  );
}
