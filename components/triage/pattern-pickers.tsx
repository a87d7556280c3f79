"use client";

import type { KnownIssueScope } from "@/lib/peaks/contract";
import type { PatternChoice, TriageSubject } from "./triage-subject";

/** Check boxes for the patterns a known issue or known peak is recognised by. */
export function PatternPicker({
  choices,
  chosen,
  onChange,
}: {
  choices: readonly PatternChoice[];
  chosen: readonly string[];
  onChange: (patternIds: string[]) => void;
}) {
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

/** Radio buttons for where a known issue or known peak applies: the subject's namespace, its app there, or everywhere. */
export function ScopePicker({
  subject,
  scope,
  onChange,
  name,
}: {
  subject: TriageSubject;
  scope: KnownIssueScope;
  onChange: (scope: KnownIssueScope) => void;
  name: string;
}) {
  const { namespace, appName } = subject;
  const options: { value: KnownIssueScope; text: string; isDisabled?: boolean }[] = [
    { value: "namespace", text: `Only in ${namespace}` },
    { value: "namespace_and_app", text: appName ? `Only ${appName} in ${namespace}` : subject.words.noApp, isDisabled: appName === null },
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

/** The patterns a new known issue or known peak starts with: the first choice (the root cause that started most traces). */
export function firstChoice(subject: TriageSubject): string[] {
  return (subject.patternChoices ?? []).slice(0, 1).map((choice) => choice.patternId);
}
