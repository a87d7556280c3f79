"use client";

import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import type { PeakDetail } from "@/lib/peaks/contract";
import { describeError } from "@/lib/http/fetch-json";
import { resolvePeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { ActionPanel, FormError } from "./action-panel";
import { PatternPicker, ScopePicker } from "./pattern-pickers";
import { defaultTitle, firstIssue, patternChoices } from "./peak-form-values";
import { usePeakAction, type ActionOutcome } from "./use-peak-action";

/** Resolves the peak with a solution: through its known issue, or as a new known peak made of its root-cause patterns. */
export function ResolvePanel({ peak, onDone, onClose }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onClose: () => void }) {
  const fieldId = useId();
  const [solution, setSolution] = useState("");
  const [title, setTitle] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() =>
    patternChoices(peak)
      .slice(0, 1)
      .map((choice) => choice.patternId),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const action = usePeakAction(peak.id, onDone);
  const issue = peak.knownIssue;
  const cannotResolve = !issue && peak.enrichment.investigation === null;
  return (
    <ActionPanel id="panel-resolve" title="Resolve with a solution" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = issue ? { solution } : { solution, title, scope, patternIds };
          const parsed = resolvePeakSchema.safeParse(input);
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "resolve", ...input });
        }}
      >
        {issue ? (
          <p className="pk-hint">
            {issue.status === "active"
              ? `This resolves known issue #${issue.id} “${issue.title}” too: it becomes a known peak with this solution, and later peaks with its root cause show as regressions.`
              : `Known issue #${issue.id} “${issue.title}” is resolved already; its known peak keeps the solution it was resolved with.`}
          </p>
        ) : cannotResolve ? (
          <p className="pk-hint">
            This peak is not investigated yet: without a known issue, its root-cause patterns are what a known peak is made of. Enrich it first.
          </p>
        ) : (
          <p className="pk-hint">The peak becomes a known peak: later peaks with this root cause show as regressions, with this solution.</p>
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
                placeholder={defaultTitle(peak)}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            <PatternPicker peak={peak} chosen={patternIds} onChange={setPatternIds} />
            <ScopePicker peak={peak} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
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
