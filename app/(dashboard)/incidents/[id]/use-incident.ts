"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { TriageOutcome } from "@/components/triage/triage-subject";
import type { IncidentActionInput, IncidentActionResult, IncidentDetail } from "@/lib/incidents/contract";
import { fetchJson } from "@/lib/http/fetch-json";
import { useTriageAction } from "../../_triage/use-triage-action";

/** An incident, kept fresh from the API; `refresh` refetches everything a triage change shows on. */
export function useIncident(initialIncident: IncidentDetail) {
  const queryClient = useQueryClient();
  const incidentId = initialIncident.id;
  const query = useQuery({
    queryKey: ["incident", incidentId],
    queryFn: ({ signal }) => fetchJson<IncidentDetail>(`/api/incidents/${incidentId}`, { signal }),
    initialData: initialIncident,
  });
  // Its windows are peaks: a change shows on the incident list, the timeline, the peaks' pages and the known issues.
  const refresh = () =>
    Promise.all(["incident", "incidents", "peak", "peaks", "known-issues"].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  return { query, refresh };
}

/** A triage action done: what to tell the analyst. */
export type IncidentOutcome = TriageOutcome<IncidentActionInput["action"], IncidentActionResult>;

/** Posts one action of POST /api/incidents/[id]/actions. */
export function useIncidentAction(incidentId: number, onDone: (outcome: IncidentOutcome) => void) {
  return useTriageAction<IncidentActionInput, IncidentActionResult>(`/api/incidents/${incidentId}/actions`, onDone);
}
