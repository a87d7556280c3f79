"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { FormActions } from "@/components/ui/form-actions";
import { resolveKnownIssueSchema, type KnownIssueDetail, type KnownIssueSummary } from "@/lib/known-issues/contract";
import { fetchJson } from "@/lib/http/fetch-json";

/** POST /api/known-issues/[id]/resolve's answer. */
export type Resolved = { issue: KnownIssueSummary; knownPeakId: number };

/** The last question before resolving, which cannot be undone; focus moves to its confirm button. */
function ResolveConfirm({ title, isPending, onConfirm, onCancel }: { title: string; isPending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), []);
  return (
    <div className="ki-confirm" role="group" aria-labelledby="resolve-confirm-text">
      <p id="resolve-confirm-text">Resolve “{title}” with this solution? It cannot be undone, and the issue can no longer be edited.</p>
      <div className="ki-actions">
        <button ref={confirmButton} type="button" className="button" disabled={isPending} onClick={onConfirm}>
          {isPending ? "Resolving…" : "Confirm: resolve"}
        </button>
        <button type="button" className="button button-secondary" disabled={isPending} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Resolves an active known issue with its solution, after a confirmation. */
export function ResolveForm({ issue, onResolved }: { issue: KnownIssueDetail; onResolved: (resolved: Resolved, solution: string) => void }) {
  const [solution, setSolution] = useState("");
  const [isConfirming, setIsConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolveButton = useRef<HTMLButtonElement>(null);
  const resolving = useMutation({
    mutationFn: (body: { solution: string }) => fetchJson<Resolved>(`/api/known-issues/${issue.id}/resolve`, { method: "POST", body: JSON.stringify(body) }),
    onSuccess: (resolved, body) => onResolved(resolved, body.solution),
  });

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
        {resolving.isError ? <Alert tone="error">Could not resolve: {resolving.error.message}</Alert> : null}
        {isConfirming ? (
          <ResolveConfirm
            title={issue.title}
            isPending={resolving.isPending}
            onConfirm={() => resolving.mutate({ solution })}
            onCancel={() => {
              setIsConfirming(false);
              resolveButton.current?.focus();
            }}
          />
        ) : (
          <FormActions className="ki-actions" submitLabel="Resolve with solution" submitRef={resolveButton} />
        )}
      </form>
    </section>
  );
}
