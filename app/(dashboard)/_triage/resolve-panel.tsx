"use client";

import { useId, useState } from "react";
import { ActionPanel, FormError } from "@/components/triage/action-panel";
import { firstIssue } from "@/components/triage/first-issue";
import { firstChoice, PatternPicker, ScopePicker } from "@/components/triage/pattern-pickers";
import type { TriageSubject } from "@/components/triage/triage-subject";
import { FormActions } from "@/components/ui/form-actions";
import { describeError } from "@/lib/http/fetch-json";
import { resolvePeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { useTriageAction, type PanelActionInput, type PanelProps } from "./use-triage-action";

/** What resolving it does, in words: through its known issue, or as a new known peak of its root cause. */
function resolveHint({ noun, knownIssue: issue, cannotResolveReason }: TriageSubject): string {
  if (cannotResolveReason !== null) return cannotResolveReason;
  if (!issue) return `The ${noun} becomes a known peak: later ${noun}s with this root cause show as regressions, with this solution.`;
  return issue.isResolved
    ? `Known issue #${issue.id} “${issue.title}” is resolved already; its known peak keeps the solution it was resolved with.`
    : `This resolves known issue #${issue.id} “${issue.title}” too: it becomes a known peak with this solution, and later ${noun}s with its root cause show as regressions.`;
}

/** Resolves the peak or the incident with a solution: through its known issue, or as a new known peak made of its root-cause patterns. */
export function ResolvePanel<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const fieldId = useId();
  const [solution, setSolution] = useState("");
  const [title, setTitle] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() => firstChoice(subject));
  const [problem, setProblem] = useState<string | null>(null);
  const action = useTriageAction<PanelActionInput, Result>(subject.actionsUrl, onDone);
  const issue = subject.knownIssue;
  const cannotResolve = subject.cannotResolveReason !== null;
  const choices = subject.patternChoices;
  return (
    <ActionPanel id="panel-resolve" title="Resolve with a solution" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = issue ? { solution } : { solution, title, scope, ...(choices ? { patternIds } : {}) };
          const parsed = resolvePeakSchema.safeParse(input);
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "resolve", ...input });
        }}
      >
        <p className="pk-hint">{resolveHint(subject)}</p>
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
                placeholder={subject.defaultTitle}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            {choices ? <PatternPicker choices={choices} chosen={patternIds} onChange={setPatternIds} /> : null}
            <ScopePicker subject={subject} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
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
