"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { KnownIssueFacts } from "@/components/known-issues/known-issue-facts";
import { KnownIssueResolution } from "@/components/known-issues/known-issue-resolution";
import { KnownIssueStatusBadge } from "@/components/known-issues/known-issue-status-badge";
import { MatchedPeaks } from "@/components/known-issues/matched-peaks";
import { Alert } from "@/components/ui/alert";
import type { KnownIssueDetail, KnownIssueSummary } from "@/lib/known-issues/contract";
import { formValuesFromIssue } from "@/lib/known-issues/form";
import { fetchJson } from "@/lib/http/fetch-json";
import { KnownIssueEditor } from "../known-issue-editor";
import { ResolveForm } from "./resolve-form";
import { useKnownIssue } from "./use-known-issue";

type KnownIssueClientProps = { initialIssue: KnownIssueDetail; timeZone: string; canEdit: boolean };

export function KnownIssueClient({ initialIssue, timeZone, canEdit }: KnownIssueClientProps) {
  const { query, refresh } = useKnownIssue(initialIssue);
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
        <Alert tone="success" className="ki-notice" ref={noticeRef} tabIndex={-1}>
          {notice}
        </Alert>
      ) : null}
      {query.isError ? (
        <Alert tone="error" className="ki-notice">
          Could not refresh: {query.error.message}
        </Alert>
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
            <KnownIssueFacts issue={issue} timeZone={timeZone} />
            {issue.status === "resolved" ? (
              <KnownIssueResolution issue={issue} timeZone={timeZone} />
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
