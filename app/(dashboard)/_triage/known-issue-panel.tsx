"use client";

import { useId, useState } from "react";
import { ActionPanel } from "@/components/triage/action-panel";
import { AttachKnownIssueForm } from "./attach-known-issue-form";
import { CreateKnownIssueForm } from "./create-known-issue-form";
import type { PanelProps } from "./use-triage-action";

/** Marks the peak or the incident as a known issue: a new one from its root cause (the default once investigated), or an active one. */
export function KnownIssuePanel<Result>({ subject, onDone, onClose }: PanelProps<Result>) {
  const name = useId();
  const [mode, setMode] = useState<"create" | "attach">(subject.cannotCreateReason === null ? "create" : "attach");
  return (
    <ActionPanel id="panel-known-issue" title="Mark as a known issue" onClose={onClose}>
      <div className="pk-choice" role="radiogroup" aria-label="How">
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "create"} onChange={() => setMode("create")} />
          {subject.words.createChoice}
        </label>
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "attach"} onChange={() => setMode("attach")} />
          Attach to an existing known issue
        </label>
      </div>
      {mode === "create" ? (
        <CreateKnownIssueForm subject={subject} onDone={onDone} onClose={onClose} />
      ) : (
        <AttachKnownIssueForm subject={subject} onDone={onDone} onClose={onClose} />
      )}
    </ActionPanel>
  );
}
