"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { KnownIssueStatusBadge } from "@/components/known-issues/known-issue-status-badge";
import { Badge } from "@/components/ui/badge";
import type { KnownIssueDetail, KnownIssueSummary } from "@/lib/db/known-issues";
import { formatCount, formatDateTime } from "@/lib/format";
import { describeScope, formValuesFromIssue } from "@/lib/known-issues/form";
import { fetchJson } from "@/lib/http/fetch-json";
import { resolveKnownIssueSchema } from "@/lib/known-issues/schema";
import { userRegexProblem } from "@/lib/pipeline/user-regex";
import { KnownIssueEditor } from "../known-issue-editor";

type Resolved = { issue: KnownIssueSummary; knownPeakId: number };

const peakStatusText = (status: string) => status.replaceAll("_", " ");

/**
 * A regex saved before matching moved to the linear-time engine may be one that engine refuses:
 * it is kept but never matches, which the page says rather than letting it fail silently.
 */
function RefusedRegexHint({ regex, editable }: { regex: string; editable: boolean }) {
  const problem = userRegexProblem(regex);
  if (problem === null) return null;
  return (
    <div className="field-error">
      Never matches: {problem}.{editable ? " Edit the issue to replace it." : ""}
    </div>
  );
}

function Facts({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="issue-facts">
      <h2 id="issue-facts">Facts</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <KnownIssueStatusBadge status={issue.status} />
        </dd>
        <dt>Scope</dt>
        <dd>{describeScope(issue.namespace, issue.appName)}</dd>
        <dt>Pattern ids</dt>
        <dd>
          {issue.patterns.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="ki-plain-list">
              {issue.patterns.map((pattern) => (
                <li key={pattern.patternId}>
                  <code>{pattern.patternId}</code>
                  <div className="ki-hint ki-template">{pattern.template ?? "no longer among the stored patterns"}</div>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Regexes</dt>
        <dd>
          {issue.regexes.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="ki-plain-list">
              {issue.regexes.map((regex) => (
                <li key={regex}>
                  <code>{regex}</code>
                  <RefusedRegexHint regex={regex} editable={issue.status === "active"} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Description</dt>
        <dd className="ki-prose">{issue.description ?? <span className="muted">—</span>}</dd>
        <dt>Link</dt>
        <dd className="ki-break">
          {issue.link ? (
            <a href={issue.link} target="_blank" rel="noreferrer">
              {issue.link}
            </a>
          ) : (
            <span className="muted">—</span>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDateTime(issue.createdAt, timeZone)}
          {issue.createdBy ? ` by ${issue.createdBy}` : ""}
        </dd>
        <dt>Last changed</dt>
        <dd>{formatDateTime(issue.updatedAt, timeZone)}</dd>
        <dt>Matched</dt>
        <dd>
          {formatCount(issue.matchedPeaks)} {issue.matchedPeaks === 1 ? "peak" : "peaks"}
          {issue.lastMatchedAt ? `, last ${formatDateTime(issue.lastMatchedAt, timeZone)}` : ""}
        </dd>
      </dl>
    </section>
  );
}

function Resolution({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  const knownPeak = issue.knownPeak;
  return (
    <section className="card" aria-labelledby="issue-resolution">
      <h2 id="issue-resolution">Resolution</h2>
      <dl className="facts">
        <dt>Resolved</dt>
        <dd>
          {formatDateTime(knownPeak?.resolvedAt ?? issue.resolvedAt, timeZone)}
          {knownPeak?.resolvedBy ? ` by ${knownPeak.resolvedBy}` : ""}
        </dd>
        <dt>Solution</dt>
        <dd className="ki-prose">{knownPeak?.solution ?? <span className="muted">—</span>}</dd>
        <dt>Known peak</dt>
        <dd>{knownPeak ? `#${knownPeak.id}` : <span className="muted">—</span>}</dd>
      </dl>
      <p className="muted ki-hint">
        The known peak keeps this matcher and solution: a later peak it matches is reported as a regression. A resolved issue can no longer be edited.
      </p>
    </section>
  );
}

function ResolveForm({ issue, onResolved }: { issue: KnownIssueDetail; onResolved: (resolved: Resolved, solution: string) => void }) {
  const [solution, setSolution] = useState("");
  const [isConfirming, setIsConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const resolveButton = useRef<HTMLButtonElement>(null);
  const resolving = useMutation({
    mutationFn: (body: { solution: string }) => fetchJson<Resolved>(`/api/known-issues/${issue.id}/resolve`, { method: "POST", body: JSON.stringify(body) }),
    onSuccess: (resolved, body) => onResolved(resolved, body.solution),
  });

  useEffect(() => {
    if (isConfirming) confirmButton.current?.focus();
  }, [isConfirming]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = resolveKnownIssueSchema.safeParse({ solution });
    if (!parsed.success) {
      setError("Describe the solution: it is kept with the resolved incident for the next time.");
      return;
    }
    setError(null);
    resolving.reset();
    setIsConfirming(true);
  }

  return (
    <section className="card" aria-labelledby="resolve-title">
      <h2 id="resolve-title">Resolve</h2>
      <form className="form ki-form" onSubmit={handleSubmit} noValidate>
        <div className="field">
          <label htmlFor="resolve-solution">Solution</label>
          <textarea
            id="resolve-solution"
            rows={4}
            value={solution}
            aria-required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "resolve-solution-hint resolve-solution-error" : "resolve-solution-hint"}
            readOnly={isConfirming || resolving.isPending}
            onChange={(event) => {
              setSolution(event.target.value);
              if (error) setError(null);
            }}
          />
          <p id="resolve-solution-hint" className="ki-hint">
            What fixed it. The issue becomes a known peak with this solution, so a recurrence is reported as a regression.
          </p>
          {error ? (
            <p id="resolve-solution-error" className="field-error">
              {error}
            </p>
          ) : null}
        </div>
        {resolving.isError ? (
          <p className="alert alert-error" role="alert">
            Could not resolve: {resolving.error.message}
          </p>
        ) : null}
        {isConfirming ? (
          <div className="ki-confirm" role="group" aria-labelledby="resolve-confirm-text">
            <p id="resolve-confirm-text">Resolve “{issue.title}” with this solution? It cannot be undone, and the issue can no longer be edited.</p>
            <div className="ki-actions">
              <button ref={confirmButton} type="button" className="button" disabled={resolving.isPending} onClick={() => resolving.mutate({ solution })}>
                {resolving.isPending ? "Resolving…" : "Confirm: resolve"}
              </button>
              <button
                type="button"
                className="button button-secondary"
                disabled={resolving.isPending}
                onClick={() => {
                  setIsConfirming(false);
                  resolveButton.current?.focus();
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <div className="ki-actions">
            <button ref={resolveButton} type="submit" className="button">
              Resolve with solution
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function MatchedPeaks({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="matched-peaks">
      <h2 id="matched-peaks">Matched peaks</h2>
      {issue.peaks.length === 0 ? (
        <p className="muted">
          No peak is labelled with this issue yet. Peaks are labelled when the pipeline investigates them; while editing, the preview shows which recent peaks
          the patterns would match.
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Namespace</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="num">
                    Errors
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Root cause</th>
                </tr>
              </thead>
              <tbody>
                {issue.peaks.map((peak) => (
                  <tr key={peak.id}>
                    <td className="nowrap">
                      <Link href={`/peaks/${peak.id}`}>{formatDateTime(peak.timestamp, timeZone)}</Link>
                    </td>
                    <td>{peak.namespace}</td>
                    <td>
                      <Badge tone={peak.severity}>{peak.severity}</Badge>
                    </td>
                    <td className="num">{formatCount(peak.errorCount)}</td>
                    <td className="nowrap">{peakStatusText(peak.status)}</td>
                    <td className="ki-clip ki-clip-wide" title={peak.rootCause ?? undefined}>
                      {peak.rootCause ?? <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {issue.matchedPeaks > issue.peaks.length ? (
            <p className="muted ki-hint">
              The newest {formatCount(issue.peaks.length)} of {formatCount(issue.matchedPeaks)}.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

type KnownIssueClientProps = { initialIssue: KnownIssueDetail; timeZone: string; canEdit: boolean };

export function KnownIssueClient({ initialIssue, timeZone, canEdit }: KnownIssueClientProps) {
  const queryClient = useQueryClient();
  const issueId = initialIssue.id;
  const query = useQuery({
    queryKey: ["known-issue", issueId],
    queryFn: ({ signal }) => fetchJson<KnownIssueDetail>(`/api/known-issues/${issueId}`, { signal }),
    initialData: initialIssue,
  });
  const issue = query.data;
  const [isEditing, setIsEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const canChange = canEdit && issue.status === "active";

  useEffect(() => {
    if (isEditing) document.getElementById("edit-issue-title")?.focus();
  }, [isEditing]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const refresh = (summary: KnownIssueSummary, knownPeak?: KnownIssueDetail["knownPeak"]) => {
    // The answer has the issue's new fields; its peaks and who resolved it come with the refetch.
    queryClient.setQueryData<KnownIssueDetail>(["known-issue", issueId], (old) => (old ? { ...old, ...summary, ...(knownPeak ? { knownPeak } : {}) } : old));
    void queryClient.invalidateQueries({ queryKey: ["known-issue", issueId] });
    void queryClient.invalidateQueries({ queryKey: ["known-issues"] });
  };

  return (
    <>
      <header className="page-header">
        <div>
          <p className="ki-breadcrumb">
            <Link href="/known-issues">Known issues</Link> / #{issue.id}
          </p>
          <h1>
            {issue.title} <KnownIssueStatusBadge status={issue.status} />
          </h1>
          <p>Times in {timeZone}.</p>
        </div>
        {canChange && !isEditing ? (
          <button
            ref={editButton}
            type="button"
            className="button"
            onClick={() => {
              setNotice(null);
              setIsEditing(true);
            }}
          >
            Edit
          </button>
        ) : null}
      </header>
      {notice ? (
        <p ref={noticeRef} tabIndex={-1} className="alert alert-success ki-notice" role="status">
          {notice}
        </p>
      ) : null}
      {query.isError ? (
        <p className="alert alert-error ki-notice" role="alert">
          Could not refresh: {query.error.message}
        </p>
      ) : null}
      <div className="grid ki-sections">
        {isEditing && canChange ? (
          <KnownIssueEditor
            mode="edit"
            idPrefix="edit-issue"
            initialValues={formValuesFromIssue(issue)}
            templates={Object.fromEntries(issue.patterns.map((pattern) => [pattern.patternId, pattern.template]))}
            issueId={issue.id}
            timeZone={timeZone}
            submitLabel="Save changes"
            save={(body) => fetchJson<KnownIssueSummary>(`/api/known-issues/${issue.id}`, { method: "PATCH", body: JSON.stringify(body) })}
            onSaved={(summary) => {
              refresh(summary);
              setIsEditing(false);
              setNotice("Saved. Peaks investigated from now on are matched with the new patterns and scope.");
            }}
            onCancel={() => {
              setIsEditing(false);
              // The Edit button comes back on the next render.
              setTimeout(() => editButton.current?.focus());
            }}
          />
        ) : (
          <div className="grid grid-2 ki-top">
            <Facts issue={issue} timeZone={timeZone} />
            {issue.status === "resolved" ? (
              <Resolution issue={issue} timeZone={timeZone} />
            ) : canEdit ? (
              <ResolveForm
                issue={issue}
                onResolved={(resolved, solution) => {
                  const resolvedAt = resolved.issue.resolvedAt ?? new Date().toISOString();
                  refresh(resolved.issue, { id: resolved.knownPeakId, solution, resolvedAt, resolvedBy: null });
                  setNotice(`Resolved. Known peak #${resolved.knownPeakId} keeps the solution; a recurrence will be reported as a regression.`);
                }}
              />
            ) : null}
          </div>
        )}
        <MatchedPeaks issue={issue} timeZone={timeZone} />
      </div>
    </>
  );
}
