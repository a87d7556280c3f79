"use client";

import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import type { PeakDetail } from "@/lib/peaks/contract";
import { describeError } from "@/lib/http/fetch-json";
import { createKnownIssueFromPeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { FormError } from "./action-panel";
import { PatternPicker, ScopePicker } from "./pattern-pickers";
import { defaultTitle, firstIssue, patternChoices } from "./peak-form-values";
import { usePeakAction, type ActionOutcome } from "./use-peak-action";

/** A new known issue from the peak's root-cause patterns, labelling the peak (and, if chosen, the other open peaks it matches). */
export function CreateKnownIssueForm({ peak, onDone, onCancel }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onCancel: () => void }) {
  const fieldId = useId();
  const [title, setTitle] = useState(() => defaultTitle(peak));
  const [description, setDescription] = useState("");
  const [link, setLink] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() =>
    patternChoices(peak)
      .slice(0, 1)
      .map((choice) => choice.patternId),
  );
  const [labelMatching, setLabelMatching] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const action = usePeakAction(peak.id, onDone);
  if (peak.enrichment.investigation === null) {
    return (
      <p className="muted">
        This peak is not investigated yet, so it has no patterns to recognise a known issue by. Attach it to an existing known issue instead.
      </p>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = createKnownIssueFromPeakSchema.safeParse({ title, description, link, scope, patternIds, labelMatching });
        if (!parsed.success) return setProblem(firstIssue(parsed.error));
        setProblem(null);
        action.mutate({ action: "create_known_issue", title, description, link, scope, patternIds, labelMatching });
      }}
    >
      <div className="field">
        <label htmlFor={`${fieldId}-title`}>Title</label>
        <input id={`${fieldId}-title`} value={title} maxLength={200} required data-autofocus onChange={(event) => setTitle(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-description`}>Description (optional)</label>
        <textarea id={`${fieldId}-description`} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-link`}>Link to a ticket (optional)</label>
        <input id={`${fieldId}-link`} type="url" placeholder="https://" value={link} onChange={(event) => setLink(event.target.value)} />
      </div>
      <PatternPicker peak={peak} chosen={patternIds} onChange={setPatternIds} />
      <ScopePicker peak={peak} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        Also label the other open peaks with this root cause
      </label>
      <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
      <FormActions className="pk-form-buttons" submitLabel="Create known issue" pendingLabel="Creating…" isPending={action.isPending} onCancel={onCancel} />
    </form>
  );
}
