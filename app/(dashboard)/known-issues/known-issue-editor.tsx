"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { KnownIssueForm } from "@/components/known-issues/known-issue-form";
import { MatchPreview } from "@/components/known-issues/match-preview";
import { PREVIEW_DEFAULT_DAYS, type KnownIssueSummary, type MatchPreview as MatchPreviewAnswer } from "@/lib/known-issues/contract";
import { previewInputFromForm, type KnownIssueBody, type KnownIssueFormMode, type KnownIssueFormValues } from "@/lib/known-issues/form";
import { describeError, fetchJson } from "@/lib/http/fetch-json";

/** Quiet time after the last keystroke before the preview is asked again (ms). */
const PREVIEW_DEBOUNCE_MS = 400;

/** The value, once it has stopped changing for `delayMs`. */
function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

type KnownIssueEditorProps = {
  mode: KnownIssueFormMode;
  idPrefix: string;
  initialValues: KnownIssueFormValues;
  templates: Readonly<Record<string, string | null>>;
  /** The issue being edited; null when creating one. */
  issueId: number | null;
  timeZone: string;
  submitLabel: string;
  save: (body: KnownIssueBody) => Promise<KnownIssueSummary>;
  onSaved: (issue: KnownIssueSummary) => void;
  onCancel?: () => void;
};

/** The known-issue form beside a live preview of the peaks its matcher and scope would label. */
export function KnownIssueEditor({ mode, idPrefix, initialValues, templates, issueId, timeZone, submitLabel, save, onSaved, onCancel }: KnownIssueEditorProps) {
  const [values, setValues] = useState(initialValues);
  const [days, setDays] = useState<number>(PREVIEW_DEFAULT_DAYS);
  const saving = useMutation({ mutationFn: save, onSuccess: onSaved });

  // Compared as JSON: a new but equal object (every keystroke in the title) must not restart the wait.
  const previewKey = JSON.stringify(previewInputFromForm(values, days));
  const settledKey = useDebouncedValue(previewKey, PREVIEW_DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: ["known-issue-preview", settledKey],
    queryFn: ({ signal }) => fetchJson<MatchPreviewAnswer>("/api/known-issues/preview", { method: "POST", body: settledKey, signal }),
    enabled: settledKey !== "null",
    placeholderData: keepPreviousData,
    // An invalid regex is answered 400: asking again gives the same answer.
    retry: false,
  });
  const hasMatcher = previewKey !== "null";

  return (
    <div className="grid ki-editor">
      <section className="card" aria-labelledby={`${idPrefix}-form-title`}>
        <h2 id={`${idPrefix}-form-title`}>{mode === "create" ? "Details" : "Edit patterns and scope"}</h2>
        <KnownIssueForm
          mode={mode}
          idPrefix={idPrefix}
          values={values}
          onChange={(next) => {
            setValues(next);
            // The refusal was about the values sent; once they change it no longer applies.
            if (saving.isError) saving.reset();
          }}
          templates={templates}
          serverError={saving.error}
          isSubmitting={saving.isPending}
          submitLabel={submitLabel}
          onSubmit={(body) => saving.mutate(body)}
          onCancel={onCancel}
        />
      </section>
      <MatchPreview
        idPrefix={idPrefix}
        days={days}
        onDaysChange={setDays}
        hasMatcher={hasMatcher}
        preview={preview.isError ? undefined : preview.data}
        // Typing ahead of the debounce counts as updating too: the answer shown is for older values.
        isUpdating={preview.isFetching || previewKey !== settledKey}
        error={preview.isError ? describeError(preview.error) : null}
        timeZone={timeZone}
        currentIssueId={issueId}
      />
    </div>
  );
}
