"use client";

import { useId, useState } from "react";
import { ActionPanel, FormError } from "@/components/triage/action-panel";
import { firstIssue } from "@/components/triage/first-issue";
import { FormActions } from "@/components/ui/form-actions";
import { describeError } from "@/lib/http/fetch-json";
import { markFalsePositiveSchema } from "@/lib/peaks/contract";
import { useTriageAction, type PanelActionInput, type PanelProps } from "./use-triage-action";

/** Marks the peak, or the incident and all its windows, as a false positive, with an optional reason. */
export function FalsePositivePanel<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const fieldId = useId();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const action = useTriageAction<PanelActionInput, Result>(subject.actionsUrl, onDone);
  return (
    <ActionPanel id="panel-false-positive" title="Mark as a false positive" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = markFalsePositiveSchema.safeParse({ reason });
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "false_positive", reason });
        }}
      >
        <div className="field">
          <label htmlFor={`${fieldId}-reason`}>Reason (optional)</label>
          <textarea
            id={`${fieldId}-reason`}
            value={reason}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
            placeholder="e.g. a load test"
          />
        </div>
        <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
        <FormActions className="pk-form-buttons" submitLabel="Mark as false positive" pendingLabel="Saving…" isPending={action.isPending} onCancel={onClose} />
      </form>
    </ActionPanel>
  );
}
