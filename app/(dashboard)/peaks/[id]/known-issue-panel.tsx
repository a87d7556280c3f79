"use client";

import { useId, useState } from "react";
import type { PeakDetail } from "@/lib/peaks/contract";
import { ActionPanel } from "./action-panel";
import { AttachKnownIssueForm } from "./attach-known-issue-form";
import { CreateKnownIssueForm } from "./create-known-issue-form";
import type { ActionOutcome } from "./use-peak-action";

/** Marks the peak as a known issue: a new one from its patterns (the default once investigated) or an existing one. */
export function KnownIssuePanel({ peak, onDone, onClose }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onClose: () => void }) {
  const name = useId();
  const [mode, setMode] = useState<"create" | "attach">(peak.enrichment.investigation ? "create" : "attach");
  return (
    <ActionPanel id="panel-known-issue" title="Mark as a known issue" onClose={onClose}>
      <div className="pk-choice" role="radiogroup" aria-label="How">
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "create"} onChange={() => setMode("create")} />
          New known issue from this peak&apos;s patterns
        </label>
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "attach"} onChange={() => setMode("attach")} />
          Attach to an existing known issue
        </label>
      </div>
      {mode === "create" ? (
        <CreateKnownIssueForm peak={peak} onDone={onDone} onCancel={onClose} />
      ) : (
        <AttachKnownIssueForm peak={peak} onDone={onDone} onCancel={onClose} />
      )}
    </ActionPanel>
  );
}
