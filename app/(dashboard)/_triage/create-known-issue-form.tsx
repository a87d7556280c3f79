"use client";

import { useId, useState } from "react";
import { FormError } from "@/components/triage/action-panel";
import { firstIssue } from "@/components/triage/first-issue";
import { firstChoice, PatternPicker, ScopePicker } from "@/components/triage/pattern-pickers";
import { FormActions } from "@/components/ui/form-actions";
import { describeError } from "@/lib/http/fetch-json";
import { createKnownIssueFromPeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { useTriageAction, type PanelActionInput, type PanelProps } from "./use-triage-action";
import { KnownIssueTextFields, type KnownIssueText } from "./known-issue-text-fields";

/** A new known issue from the root-cause patterns, labelling the peak or the incident (and, if chosen, the other open ones it matches). */
export function CreateKnownIssueForm<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const fieldId = useId();
  const [text, setText] = useState<KnownIssueText>(() => ({ title: subject.defaultTitle, description: "", link: "" }));
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() => firstChoice(subject));
  const [labelMatching, setLabelMatching] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useTriageAction<PanelActionInput, Result>(subject.actionsUrl, onDone);
  const choices = subject.patternChoices;
  if (subject.cannotCreateReason !== null) return <p className="muted">{subject.cannotCreateReason}</p>;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const input = { ...text, scope, ...(choices ? { patternIds } : {}), labelMatching };
        const parsed = createKnownIssueFromPeakSchema.safeParse(input);
        if (!parsed.success) return setProblem(firstIssue(parsed.error));
        setProblem(null);
        action.mutate({ action: "create_known_issue", ...input });
      }}
    >
      {subject.words.createHint ? <p className="pk-hint">{subject.words.createHint}</p> : null}
      <KnownIssueTextFields fieldId={fieldId} value={text} onChange={setText} />
      {choices ? <PatternPicker choices={choices} chosen={patternIds} onChange={setPatternIds} /> : null}
      <ScopePicker subject={subject} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        {`Also label the other open ${subject.noun}s with this root cause`}
      </label>
      <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
      <FormActions className="pk-form-buttons" submitLabel="Create known issue" pendingLabel="Creating…" isPending={action.isPending} onCancel={onClose} />
    </form>
  );
}
