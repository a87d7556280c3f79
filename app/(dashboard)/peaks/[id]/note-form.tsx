"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { FormActions } from "@/components/ui/form-actions";
import type { PeakNoteRecord } from "@/lib/peaks/contract";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import { MAX_NOTE_CHARS } from "@/lib/peaks/contract";

/** Adds a note to the peak; the text is kept when the API refuses it. */
export function NoteForm({ peakId, onAdded }: { peakId: number; onAdded: () => void }) {
  const fieldId = useId();
  const [text, setText] = useState("");
  const add = useMutation({
    mutationFn: (note: string) => fetchJson<PeakNoteRecord>(`/api/peaks/${peakId}/notes`, { method: "POST", body: JSON.stringify({ text: note }) }),
    onSuccess: () => {
      setText("");
      onAdded();
    },
  });
  return (
    <form
      className="form pk-note-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== "") add.mutate(text);
      }}
    >
      <div className="field">
        <label htmlFor={`${fieldId}-note`}>New note</label>
        <textarea id={`${fieldId}-note`} value={text} maxLength={MAX_NOTE_CHARS} onChange={(event) => setText(event.target.value)} />
      </div>
      {add.isError ? <Alert tone="error">{describeError(add.error)}</Alert> : null}
      <FormActions submitLabel="Add note" pendingLabel="Adding…" isPending={add.isPending} isDisabled={text.trim() === ""} />
    </form>
  );
}
