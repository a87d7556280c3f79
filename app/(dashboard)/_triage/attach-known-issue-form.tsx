"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormError } from "@/components/triage/action-panel";
import { FormActions } from "@/components/ui/form-actions";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import type { KnownIssueSummary } from "@/lib/known-issues/contract";
import { useTriageAction, type PanelActionInput, type PanelProps } from "./use-triage-action";

const scopeText = (issue: KnownIssueSummary) =>
  issue.namespace === null ? "everywhere" : issue.appName ? `${issue.appName} in ${issue.namespace}` : issue.namespace;

/** Labels the peak or the incident with an active known issue found by title, id or scope. */
export function AttachKnownIssueForm<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const fieldId = useId();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState("");
  const [labelMatching, setLabelMatching] = useState(true);
  const action = useTriageAction<PanelActionInput, Result>(subject.actionsUrl, onDone);
  const issues = useQuery({
    queryKey: ["known-issues", "active", ""],
    queryFn: ({ signal }) => fetchJson<{ knownIssues: KnownIssueSummary[] }>("/api/known-issues?status=active", { signal }).then((body) => body.knownIssues),
  });
  const words = query.trim().toLowerCase();
  const candidates = (issues.data ?? []).filter(
    (issue) =>
      issue.id !== subject.knownIssue?.id &&
      (words === "" || `#${issue.id} ${issue.title} ${issue.namespace ?? ""} ${issue.appName ?? ""}`.toLowerCase().includes(words)),
  );
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen !== "") action.mutate({ action: "attach_known_issue", knownIssueId: Number(chosen), labelMatching });
      }}
    >
      {issues.isError ? <FormError message={`Could not load the known issues: ${issues.error.message}`} /> : null}
      <div className="field">
        <label htmlFor={`${fieldId}-search`}>Search active known issues</label>
        <input
          id={`${fieldId}-search`}
          type="search"
          data-autofocus
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Title, #id, namespace"
        />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-issue`}>Known issue</label>
        <select
          id={`${fieldId}-issue`}
          size={Math.min(6, Math.max(2, candidates.length))}
          value={chosen}
          required
          onChange={(event) => setChosen(event.target.value)}
        >
          {candidates.map((issue) => (
            <option key={issue.id} value={String(issue.id)}>
              #{issue.id} {issue.title} ({scopeText(issue)})
            </option>
          ))}
        </select>
        <p className="pk-hint" role="status">
          {issues.isPending
            ? "Loading the known issues…"
            : candidates.length === 0
              ? "No active known issue matches."
              : `${candidates.length} active known ${candidates.length === 1 ? "issue" : "issues"}.`}
        </p>
      </div>
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        {`Also label the other open ${subject.noun}s this issue matches`}
      </label>
      <FormError message={action.isError ? describeError(action.error) : null} />
      <FormActions
        className="pk-form-buttons"
        submitLabel="Attach"
        pendingLabel="Attaching…"
        isPending={action.isPending}
        onCancel={onClose}
        isDisabled={chosen === ""}
      />
    </form>
  );
}
