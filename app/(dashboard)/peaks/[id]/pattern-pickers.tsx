"use client";

import type { PeakDetail } from "@/lib/peaks/contract";
import type { KnownIssueScope } from "@/lib/peaks/contract";
import { patternChoices } from "./peak-form-values";

/** Check boxes for the patterns a known issue or known peak is recognised by. */
export function PatternPicker({ peak, chosen, onChange }: { peak: PeakDetail; chosen: readonly string[]; onChange: (patternIds: string[]) => void }) {
  const choices = patternChoices(peak);
  return (
    <fieldset>
      <legend>Recognise it by these root-cause patterns</legend>
      {choices.map((choice) => (
        <label key={choice.patternId} className="pk-check">
          <input
            type="checkbox"
            checked={chosen.includes(choice.patternId)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, choice.patternId] : chosen.filter((id) => id !== choice.patternId))}
          />
          <span>
            <span className="pk-template">{choice.template}</span> <span className="muted">— {choice.detail}</span>
          </span>
        </label>
      ))}
      <p className="pk-hint">The first one started most traces; the others are often background errors that would match unrelated peaks.</p>
    </fieldset>
  );
}

/** Radio buttons for where a known issue applies: the peak's namespace, its app there, or everywhere. */
export function ScopePicker({
  peak,
  scope,
  onChange,
  name,
}: {
  peak: PeakDetail;
  scope: KnownIssueScope;
  onChange: (scope: KnownIssueScope) => void;
  name: string;
}) {
  const options: { value: KnownIssueScope; text: string; isDisabled?: boolean }[] = [
    { value: "namespace", text: `Only in ${peak.namespace}` },
    {
      value: "namespace_and_app",
      text: peak.appName ? `Only ${peak.appName} in ${peak.namespace}` : "Only this app (the peak has no app)",
      isDisabled: peak.appName === null,
    },
    { value: "everywhere", text: "In every namespace" },
  ];
  return (
    <fieldset>
      <legend>Scope</legend>
      {options.map((option) => (
        <label key={option.value} className="pk-check">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={scope === option.value}
            disabled={option.isDisabled}
            onChange={() => onChange(option.value)}
          />
          {option.text}
        </label>
      ))}
    </fieldset>
  );
}
