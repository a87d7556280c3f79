"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { IncidentActionInput, IncidentActionResult, IncidentDetail } from "@/lib/incidents/contract";
import { fetchJson } from "@/lib/http/fetch-json";

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
export type IncidentOutcome = { action: IncidentActionInput["action"]; result: IncidentActionResult };

/** Posts one action of POST /api/incidents/[id]/actions. */
export function useIncidentAction(incidentId: number, onDone: (outcome: IncidentOutcome) => void) {
  return useMutation({
    mutationFn: (input: IncidentActionInput) =>
      fetchJson<IncidentActionResult>(`/api/incidents/${incidentId}/actions`, { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result, input) => onDone({ action: input.action, result }),
  });
}
