"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { CreatedKnownIssue } from "@/lib/known-issues/contract";
import type { KnownIssueFormValues } from "@/lib/known-issues/form";
import { fetchJson } from "@/lib/http/fetch-json";
import { Alert } from "@/components/ui/alert";
import { KnownIssueEditor } from "../known-issue-editor";

const NO_TEMPLATES: Readonly<Record<string, string | null>> = {};

type NewKnownIssueClientProps = {
  timeZone: string;
  initialValues: KnownIssueFormValues;
  /** The pattern the form starts from, or null. */
  fromPattern: string | null;
  /** A pattern asked for that does not exist (any more). */
  missingPattern: string | null;
};

export function NewKnownIssueClient({ timeZone, initialValues, fromPattern, missingPattern }: NewKnownIssueClientProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return (
    <>
      <header className="page-header">
        <div>
          <p className="ki-breadcrumb">
            <Link href="/known-issues">Known issues</Link>
          </p>
          <h1>New known issue</h1>
          <p>Name a recurring problem by its patterns or regular expressions; the preview shows the recent peaks it would label.</p>
          {fromPattern ? (
            <p>
              Started from pattern <Link href={`/patterns/${encodeURIComponent(fromPattern)}`}>{fromPattern}</Link>: review the title and scope.
            </p>
          ) : null}
        </div>
      </header>
      {missingPattern ? <Alert tone="warning">Pattern {missingPattern} does not exist (any more); the form starts empty.</Alert> : null}
      <KnownIssueEditor
        mode="create"
        idPrefix="new-issue"
        initialValues={initialValues}
        templates={NO_TEMPLATES}
        issueId={null}
        timeZone={timeZone}
        submitLabel="Create known issue"
        save={(body) => fetchJson<CreatedKnownIssue>("/api/known-issues", { method: "POST", body: JSON.stringify(body) })}
        onSaved={(issue) => {
          void queryClient.invalidateQueries({ queryKey: ["known-issues"] });
          router.push(`/known-issues/${issue.id}`);
        }}
        onCancel={() => router.push("/known-issues")}
      />
    </>
  );
}
