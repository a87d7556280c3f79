"use client";

import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import { MAX_SNOOZE_DAYS, MAX_SNOOZE_GROWTH, snoozeSchema, type IncidentDetail } from "@/lib/incidents/contract";
import { describeError } from "@/lib/http/fetch-json";
import { instantToLocalInput, localInputToInstant } from "../../namespaces/[namespace]/search-params";
import { ActionPanel, FormError } from "@/components/triage/action-panel";
import { firstIssue } from "@/components/triage/first-issue";
import { useIncidentAction, type IncidentOutcome } from "./use-incident";

const HOUR_MS = 3_600_000;

/**
 * Quiets the incident until a local date and time (in the dashboard's timezone), until it grows
 * by a factor, or whichever comes first; the next run lifts it then.
 */
export function SnoozePanel({
  incident,
  timeZone,
  onDone,
  onClose,
}: {
  incident: IncidentDetail;
  timeZone: string;
  onDone: (outcome: IncidentOutcome) => void;
  onClose: () => void;
}) {
  const fieldId = useId();
  const [until, setUntil] = useState(() => instantToLocalInput(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + 2 * HOUR_MS, timeZone));
  const [growth, setGrowth] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const action = useIncidentAction(incident.id, onDone);
  return (
    <ActionPanel id="panel-snooze" title="Snooze" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const untilMs = until === "" ? null : localInputToInstant(until, timeZone);
          if (until !== "" && untilMs === null) return setProblem("until: enter a date and time");
          const input = {
            ...(untilMs === null ? {} : { until: new Date(untilMs).toISOString() }),
            ...(growth.trim() === "" ? {} : { growth: Number(growth) }),
          };
          const parsed = snoozeSchema.safeParse(input);
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "snooze", ...input });
        }}
      >
        <p className="pk-hint">
          A snoozed incident stays in the lists but is left out of what is on fire. Give a time, a growth, or both: whichever comes first lifts it.
        </p>
        <div className="ic-snooze-fields">
          <div className="field">
            <label htmlFor={`${fieldId}-until`}>Until ({timeZone}, empty for no time)</label>
            <input id={`${fieldId}-until`} type="datetime-local" data-autofocus value={until} onChange={(event) => setUntil(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${fieldId}-growth`}>Or until it grows × (empty for no growth)</label>
            <input
              id={`${fieldId}-growth`}
              type="number"
              inputMode="decimal"
              min="1.1"
              max={MAX_SNOOZE_GROWTH}
              step="0.1"
              placeholder="e.g. 3"
              value={growth}
              onChange={(event) => setGrowth(event.target.value)}
            />
          </div>
        </div>
        <p className="pk-hint">At most {MAX_SNOOZE_DAYS} days ahead; growth is measured on its errors above the baselines.</p>
        <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
        <FormActions className="pk-form-buttons" submitLabel="Snooze" pendingLabel="Snoozing…" isPending={action.isPending} onCancel={onClose} />
      </form>
    </ActionPanel>
  );
}
