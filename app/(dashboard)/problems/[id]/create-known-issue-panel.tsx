"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ActionPanel, FormError } from "@/components/triage/action-panel";
import { firstIssue } from "@/components/triage/first-issue";
import { FormActions } from "@/components/ui/form-actions";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import { defaultKnownIssueTitle } from "@/lib/problems/words";
import {
  createKnownIssueFromProblemFieldsSchema,
  type CreateKnownIssueFromProblemFields,
  type ProblemDetail,
  type ProblemKnownIssueScope,
  type ProblemKnownIssueResult,
} from "@/lib/problems/contract";
import { KnownIssueTextFields, type KnownIssueText } from "../../_triage/known-issue-text-fields";

/**
 * "Create known issue from this problem": a button that opens the form, which posts to
 * POST /api/problems/[id]/known-issue and hands the answer to `onCreated`.
 */
export function CreateKnownIssuePanel({
  problem,
  since,
  onCreated,
}: {
  problem: ProblemDetail;
  since: string;
  onCreated: (result: ProblemKnownIssueResult) => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  // The button stays while the form is open, so that closing it gives focus back to it.
  const close = () => {
    setIsOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <p>
        <button
          ref={opener}
          type="button"
          className="button"
          aria-expanded={isOpen}
          aria-controls={isOpen ? "problem-create-known-issue" : undefined}
          onClick={() => setIsOpen(!isOpen)}
        >
          Create known issue from this problem
        </button>
      </p>
      {isOpen ? (
        <ActionPanel id="problem-create-known-issue" title="Create known issue from this problem" onClose={close}>
          <CreateKnownIssueForm
            problem={problem}
            since={since}
            onClose={close}
            onCreated={(result) => {
              setIsOpen(false);
              onCreated(result);
            }}
          />
        </ActionPanel>
      ) : null}
    </>
  );
}

function CreateKnownIssueForm({
  problem,
  since,
  onClose,
  onCreated,
}: {
  problem: ProblemDetail;
  since: string;
  onClose: () => void;
  onCreated: (result: ProblemKnownIssueResult) => void;
}) {
  const fieldId = useId();
  const [text, setText] = useState<KnownIssueText>(() => ({ title: defaultKnownIssueTitle(problem), description: "", link: "" }));
  const [scope, setScope] = useState<ProblemKnownIssueScope>("everywhere");
  const [labelMatching, setLabelMatching] = useState(true);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (input: CreateKnownIssueFromProblemFields) =>
      fetchJson<ProblemKnownIssueResult>(`/api/problems/${encodeURIComponent(problem.id)}/known-issue`, {
        method: "POST",
        body: JSON.stringify({ ...input, since }),
      }),
    onSuccess: onCreated,
  });
  const onlyNamespace = problem.namespaces.length === 1 ? problem.namespaces[0] : undefined;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const input = { ...text, scope, labelMatching };
        const parsed = createKnownIssueFromProblemFieldsSchema.safeParse(input);
        if (!parsed.success) return setFormProblem(firstIssue(parsed.error));
        setFormProblem(null);
        create.mutate(input);
      }}
    >
      <p className="pk-hint">
        The known issue is recognised by this problem&apos;s root-cause {problem.patternIds.length === 1 ? "pattern" : "patterns"} (
        {problem.patternIds.join(", ")}
        ); its {problem.incidentTotal === 1 ? "incident" : `${problem.incidentTotal} incidents`} of the period are marked known with it.
      </p>
      <KnownIssueTextFields fieldId={fieldId} value={text} onChange={setText} />
      <fieldset>
        <legend>Where it matches</legend>
        <label className="pk-check">
          <input type="radio" name={`${fieldId}-scope`} checked={scope === "everywhere"} onChange={() => setScope("everywhere")} />
          Every namespace
        </label>
        {onlyNamespace !== undefined ? (
          <label className="pk-check">
            <input type="radio" name={`${fieldId}-scope`} checked={scope === "namespace"} onChange={() => setScope("namespace")} />
            Only in {onlyNamespace}
          </label>
        ) : null}
      </fieldset>
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        Also label the other open peaks with this root cause
      </label>
      <FormError message={formProblem ?? (create.isError ? describeError(create.error) : null)} />
      <FormActions className="pk-form-buttons" submitLabel="Create known issue" pendingLabel="Creating…" isPending={create.isPending} onCancel={onClose} />
    </form>
  );
}
