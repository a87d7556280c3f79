"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { FormError } from "@/components/triage/action-panel";
import { FormActions } from "@/components/ui/form-actions";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import type { KnownIssuePage, KnownIssueSummary } from "@/lib/known-issues/contract";
import { useTriageAction, type PanelActionInput, type PanelProps } from "./use-triage-action";
import { SearchField } from "@/components/ui/search-field";

/** Typing pauses this long before the search is sent (ms). */
const SEARCH_DELAY_MS = 250;
/** Known issues offered at once: enough to pick from, a search narrows the rest. */
const CANDIDATES = 50;

const scopeText = (issue: KnownIssueSummary) =>
  issue.namespace === null ? "everywhere" : issue.appName ? `${issue.appName} in ${issue.namespace}` : issue.namespace;

/** Labels the peak or the incident with an active known issue found by title, id or scope. */
export function AttachKnownIssueForm<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const fieldId = useId();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState("");
  const [labelMatching, setLabelMatching] = useState(true);
  const action = useTriageAction<PanelActionInput, Result>(subject.actionsUrl, onDone);
  // The server searches (title, description, namespace, app, #id): a platform's known issues are not all sent to pick one.
  const [searched, setSearched] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setSearched(query.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);
  const issues = useQuery({
    queryKey: ["known-issues", "active", searched],
    queryFn: ({ signal }) =>
      fetchJson<KnownIssuePage>(`/api/known-issues?${new URLSearchParams({ status: "active", q: searched, limit: String(CANDIDATES) }).toString()}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  const candidates = (issues.data?.knownIssues ?? []).filter((issue) => issue.id !== subject.knownIssue?.id);
  const more = (issues.data?.total ?? 0) - (issues.data?.knownIssues.length ?? 0);
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen !== "") action.mutate({ action: "attach_known_issue", knownIssueId: Number(chosen), labelMatching });
      }}
    >
      {issues.isError ? <FormError message={`Could not load the known issues: ${issues.error.message}`} /> : null}
      <SearchField
        id={`${fieldId}-search`}
        label="Search active known issues"
        data-autofocus
        value={query}
        onChange={setQuery}
        placeholder="Title, #id, namespace"
      />
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
              : more > 0
                ? `The ${candidates.length} newest of ${candidates.length + more} active known issues that match: search to narrow them.`
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
