"use client";

import type { TriageOutcome } from "@/components/triage/triage-subject";
import type { PeakActionInput, PeakActionResult } from "@/lib/peaks/contract";
import { useTriageAction } from "../../_triage/use-triage-action";

/** A triage action done: what to tell the analyst. */
export type ActionOutcome = TriageOutcome<PeakActionInput["action"], PeakActionResult>;

/** Posts one action of POST /api/peaks/[id]/actions. */
export function usePeakAction(peakId: number, onDone: (outcome: ActionOutcome) => void) {
  return useTriageAction<PeakActionInput, PeakActionResult>(`/api/peaks/${peakId}/actions`, onDone);
}
