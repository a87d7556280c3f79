"use client";

import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import type { IncidentDetail, IncidentOwnerOption } from "@/lib/incidents/contract";
import { describeError } from "@/lib/http/fetch-json";
import { ActionPanel, FormError } from "@/components/triage/action-panel";
import { useIncidentAction, type IncidentOutcome } from "./use-incident";

const NOBODY = "";

/**
 * Acknowledges the incident with an owner (the analyst, or another analyst or admin), or, once
 * it is triaged, gives it to another owner or to nobody.
 */
export function OwnerPanel({
  incident,
  mode,
  owners,
  currentUserId,
  onDone,
  onClose,
}: {
  incident: IncidentDetail;
  mode: "acknowledge" | "assign";
  owners: readonly IncidentOwnerOption[];
  currentUserId: number | null;
  onDone: (outcome: IncidentOutcome) => void;
  onClose: () => void;
}) {
  const fieldId = useId();
  const me = owners.find((owner) => owner.id === currentUserId) ?? null;
  const initial = mode === "assign" ? (incident.owner?.id ?? me?.id ?? null) : (me?.id ?? owners[0]?.id ?? null);
  const [ownerId, setOwnerId] = useState(initial === null ? NOBODY : String(initial));
  const action = useIncidentAction(incident.id, onDone);
  const others = owners.filter((owner) => owner.id !== me?.id);
  const title = mode === "acknowledge" ? "Acknowledge" : "Change the owner";
  return (
    <ActionPanel id={`panel-${mode}`} title={title} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = ownerId === NOBODY ? null : Number(ownerId);
          if (mode === "acknowledge") action.mutate(chosen === null ? { action: "acknowledge" } : { action: "acknowledge", ownerId: chosen });
          else action.mutate({ action: "assign", ownerId: chosen });
        }}
      >
        {mode === "acknowledge" ? (
          <p className="pk-hint">Someone is on it: the incident and all its windows, present and future, become acknowledged.</p>
        ) : null}
        <div className="ic-owner-row">
          <div className="field">
            <label htmlFor={`${fieldId}-owner`}>Owner</label>
            <select id={`${fieldId}-owner`} value={ownerId} data-autofocus onChange={(event) => setOwnerId(event.target.value)}>
              {mode === "assign" ? <option value={NOBODY}>Nobody</option> : null}
              {me ? <option value={String(me.id)}>Me ({me.email})</option> : null}
              {others.map((owner) => (
                <option key={owner.id} value={String(owner.id)}>
                  {owner.email} ({owner.role})
                </option>
              ))}
            </select>
          </div>
          <FormActions
            className="pk-form-buttons"
            submitLabel={mode === "acknowledge" ? "Acknowledge" : "Save owner"}
            pendingLabel="Saving…"
            isPending={action.isPending}
            isDisabled={mode === "acknowledge" && ownerId === NOBODY}
            onCancel={onClose}
          />
        </div>
        <FormError message={action.isError ? describeError(action.error) : null} />
      </form>
    </ActionPanel>
  );
}
