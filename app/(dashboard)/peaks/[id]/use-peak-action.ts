"use client";

import { useMutation } from "@tanstack/react-query";
import type { PeakActionResult } from "@/lib/peaks/contract";
import { fetchJson } from "@/lib/http/fetch-json";
import type { PeakActionInput } from "@/lib/peaks/contract";

/** A triage action done: what to tell the analyst. */
export type ActionOutcome = { action: PeakActionInput["action"]; result: PeakActionResult };

/** Posts one action of POST /api/peaks/[id]/actions. */
export function usePeakAction(peakId: number, onDone: (outcome: ActionOutcome) => void) {
  return useMutation({
    mutationFn: (input: PeakActionInput) => fetchJson<PeakActionResult>(`/api/peaks/${peakId}/actions`, { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result, input) => onDone({ action: input.action, result }),
  });
}
