"use client";

import { useMutation } from "@tanstack/react-query";
import type { TriageOutcome, TriageSubject } from "@/components/triage/triage-subject";
import { fetchJson } from "@/lib/http/fetch-json";
import type { PeakActionInput } from "@/lib/peaks/contract";

/** The actions of the shared panels: the same bodies for a peak and for an incident. */
export type PanelActionInput = Extract<PeakActionInput, { action: "false_positive" | "attach_known_issue" | "create_known_issue" | "resolve" }>;
export type PanelAction = PanelActionInput["action"];

/** What every shared panel takes: the record, what to do once its action is done, and how to close. */
export type PanelProps<Result> = {
  subject: TriageSubject;
  onDone: (outcome: TriageOutcome<PanelAction, Result>) => void;
  onClose: () => void;
};

/** Posts one action to a record's actions endpoint and tells `onDone` what it answered. */
export function useTriageAction<Input extends { action: string }, Result>(
  actionsUrl: string,
  onDone: (outcome: TriageOutcome<Input["action"], Result>) => void,
) {
  return useMutation({
    mutationFn: (input: Input) => fetchJson<Result>(actionsUrl, { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result, input) => onDone({ action: input.action, result }),
  });
}
