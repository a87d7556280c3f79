"use client";

import type { IncidentDetail } from "@/lib/incidents/contract";
import type { KnownIssueScope } from "@/lib/peaks/contract";
import { shortRootCause } from "@/lib/peaks/words";

/** Radio buttons for where a known issue or known peak applies: the incident's namespace, its app there, or everywhere. */
export function ScopePicker({
  incident,
  scope,
  onChange,
  name,
}: {
  incident: IncidentDetail;
  scope: KnownIssueScope;
  onChange: (scope: KnownIssueScope) => void;
  name: string;
}) {
  const app = incident.lead.appName;
  const options: { value: KnownIssueScope; text: string; isDisabled?: boolean }[] = [
    { value: "namespace", text: `Only in ${incident.namespace}` },
    { value: "namespace_and_app", text: app ? `Only ${app} in ${incident.namespace}` : "Only this app (no app is known)", isDisabled: app === null },
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

/** The title a new known issue or known peak gets unless the analyst writes one: the root cause's first line, short class names, at most 200 characters. */
export function defaultTitle(incident: IncidentDetail): string {
  const firstLine = (incident.lead.rootCause ?? "").split("\n")[0] ?? "";
  return shortRootCause(firstLine).trim().slice(0, 200);
}
