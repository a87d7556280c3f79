"use client";

import { panelId, type PanelToggle } from "./use-panel-toggle";

/** A button of an action bar that opens or closes one inline panel. */
export function PanelButton<Panel extends string>({
  panels,
  which,
  label,
  isPrimary = false,
}: {
  panels: PanelToggle<Panel>;
  which: Panel;
  label: string;
  isPrimary?: boolean;
}) {
  return (
    <button
      type="button"
      className={isPrimary ? "button" : "button button-secondary"}
      ref={panels.opener(which)}
      aria-expanded={panels.panel === which}
      aria-controls={panels.panel === which ? panelId(which) : undefined}
      onClick={() => panels.toggle(which)}
    >
      {label}
    </button>
  );
}

/** The request of a bar's direct actions (a mutation): what is being sent, and how to send. */
type DirectRequest<Input> = { isPending: boolean; variables: Input | undefined; mutate: (input: Input) => void };

/** A button of an action bar that sends its action at once; every one of them is off while one is being sent. */
export function DirectActionButton<Input extends { action: string }>({
  request,
  input,
  label,
  pendingLabel,
  isPrimary = false,
}: {
  request: DirectRequest<Input>;
  input: Input;
  label: string;
  pendingLabel: string;
  isPrimary?: boolean;
}) {
  return (
    <button type="button" className={isPrimary ? "button" : "button button-secondary"} disabled={request.isPending} onClick={() => request.mutate(input)}>
      {request.isPending && request.variables?.action === input.action ? pendingLabel : label}
    </button>
  );
}
