"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormActions } from "@/components/ui/form-actions";
import type { IncidentDetail } from "@/lib/incidents/contract";
import type { KnownIssueSummary } from "@/lib/known-issues/contract";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import { createKnownIssueFromPeakSchema, type KnownIssueScope } from "@/lib/peaks/contract";
import { ActionPanel, FormError } from "../../peaks/[id]/action-panel";
import { firstIssue } from "../../peaks/[id]/peak-form-values";
import { defaultTitle, ScopePicker } from "./scope-picker";
import { useIncidentAction, type IncidentOutcome } from "./use-incident";

type Props = { incident: IncidentDetail; onDone: (outcome: IncidentOutcome) => void; onClose: () => void };

/** Marks the incident as a known issue: a new one from its root cause (the default once investigated), or an active one. */
export function KnownIssuePanel({ incident, onDone, onClose }: Props) {
  const name = useId();
  const [mode, setMode] = useState<"create" | "attach">(incident.lead.rootCause ? "create" : "attach");
  return (
    <ActionPanel id="panel-known-issue" title="Mark as a known issue" onClose={onClose}>
      <div className="pk-choice" role="radiogroup" aria-label="How">
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "create"} onChange={() => setMode("create")} />
          New known issue from its root cause
        </label>
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "attach"} onChange={() => setMode("attach")} />
          Attach to an existing known issue
        </label>
      </div>
      {mode === "create" ? (
        <CreateForm incident={incident} onDone={onDone} onClose={onClose} />
      ) : (
        <AttachForm incident={incident} onDone={onDone} onClose={onClose} />
      )}
    </ActionPanel>
  );
}

function CreateForm({ incident, onDone, onClose }: Props) {
  const fieldId = useId();
  const [title, setTitle] = useState(() => defaultTitle(incident));
  const [description, setDescription] = useState("");
  const [link, setLink] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [labelMatching, setLabelMatching] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useIncidentAction(incident.id, onDone);
  if (!incident.lead.rootCause) {
    return (
      <p className="muted">
        No window of this incident is investigated yet, so it has no root cause to recognise a known issue by. Attach it to an existing one instead.
      </p>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const input = { title, description, link, scope, labelMatching };
        const parsed = createKnownIssueFromPeakSchema.safeParse(input);
        if (!parsed.success) return setProblem(firstIssue(parsed.error));
        setProblem(null);
        action.mutate({ action: "create_known_issue", ...input });
      }}
    >
      <p className="pk-hint">It is recognised by the root-cause patterns of the incident&apos;s worst investigated window.</p>
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
      <ScopePicker incident={incident} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        Also label the other open incidents with this root cause
      </label>
      <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
      <FormActions className="pk-form-buttons" submitLabel="Create known issue" pendingLabel="Creating…" isPending={action.isPending} onCancel={onClose} />
    </form>
  );
}

function AttachForm({ incident, onDone, onClose }: Props) {
  const fieldId = useId();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState("");
  const [labelMatching, setLabelMatching] = useState(true);
  const action = useIncidentAction(incident.id, onDone);
  const issues = useQuery({
    queryKey: ["known-issues", "active", ""],
    queryFn: ({ signal }) => fetchJson<{ knownIssues: KnownIssueSummary[] }>("/api/known-issues?status=active", { signal }).then((body) => body.knownIssues),
  });
  const words = query.trim().toLowerCase();
  const candidates = (issues.data ?? []).filter(
    (issue) =>
      issue.id !== incident.knownIssue?.id &&
      (words === "" || `#${issue.id} ${issue.title} ${issue.namespace ?? ""} ${issue.appName ?? ""}`.toLowerCase().includes(words)),
  );
  const scopeText = (issue: KnownIssueSummary) =>
    issue.namespace === null ? "everywhere" : issue.appName ? `${issue.appName} in ${issue.namespace}` : issue.namespace;
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
        Also label the other open incidents this issue matches
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
