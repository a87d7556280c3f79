"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { CreatedKnownIssue } from "@/lib/known-issues/contract";
import { emptyKnownIssueForm } from "@/lib/known-issues/form";
import { fetchJson } from "@/lib/http/fetch-json";
import { KnownIssueEditor } from "../known-issue-editor";

const NO_TEMPLATES: Readonly<Record<string, string | null>> = {};

export function NewKnownIssueClient({ timeZone }: { timeZone: string }) {
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
        </div>
      </header>
      <KnownIssueEditor
        mode="create"
        idPrefix="new-issue"
        initialValues={emptyKnownIssueForm()}
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
