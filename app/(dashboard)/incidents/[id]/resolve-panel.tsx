"use client";

import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { describeError } from "@/lib/http/fetch-json";
import { resolvePeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { ActionPanel, FormError } from "../../peaks/[id]/action-panel";
import { firstIssue } from "../../peaks/[id]/peak-form-values";
import { defaultTitle, ScopePicker } from "./scope-picker";
import { useIncidentAction, type IncidentOutcome } from "./use-incident";

/** Resolves the incident with a solution: through its known issue, or as a new known peak of its root cause. */
export function ResolvePanel({ incident, onDone, onClose }: { incident: IncidentDetail; onDone: (outcome: IncidentOutcome) => void; onClose: () => void }) {
  const fieldId = useId();
  const [solution, setSolution] = useState("");
  const [title, setTitle] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [problem, setProblem] = useState<string | null>(null);
  const action = useIncidentAction(incident.id, onDone);
  const issue = incident.knownIssue;
  const cannotResolve = incident.lead.rootCause === null;
  return (
    <ActionPanel id="panel-resolve" title="Resolve with a solution" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = issue ? { solution } : { solution, title, scope };
          const parsed = resolvePeakSchema.safeParse(input);
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "resolve", ...input });
        }}
      >
        {cannotResolve ? (
          <p className="pk-hint">No window of this incident is investigated yet: a solution is kept with its root cause. Enrich its peaks first.</p>
        ) : issue ? (
          <p className="pk-hint">
            This resolves known issue #{issue.id} “{issue.title}” too: it becomes a known peak with this solution, and later incidents with its root cause show
            as regressions.
          </p>
        ) : (
          <p className="pk-hint">The incident becomes a known peak: later incidents with this root cause show as regressions, with this solution.</p>
        )}
        <div className="field">
          <label htmlFor={`${fieldId}-solution`}>Solution</label>
          <textarea
            id={`${fieldId}-solution`}
            data-autofocus
            value={solution}
            required
            maxLength={10_000}
            onChange={(event) => setSolution(event.target.value)}
          />
        </div>
        {!issue && !cannotResolve ? (
          <>
            <div className="field">
              <label htmlFor={`${fieldId}-title`}>Title (optional)</label>
              <input
                id={`${fieldId}-title`}
                value={title}
                maxLength={200}
                placeholder={defaultTitle(incident)}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            <ScopePicker incident={incident} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
          </>
        ) : null}
        <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
        <FormActions
          className="pk-form-buttons"
          submitLabel="Resolve"
          pendingLabel="Resolving…"
          isPending={action.isPending}
          onCancel={onClose}
          isDisabled={cannotResolve}
        />
      </form>
    </ActionPanel>
  );
}
