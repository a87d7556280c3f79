"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { PeakDetail } from "@/lib/peaks/contract";
import { fetchJson } from "@/lib/http/fetch-json";

/** A peak, kept fresh from the API; `refresh` refetches everything a triage change shows on. */
export function usePeak(initialPeak: PeakDetail) {
  const queryClient = useQueryClient();
  const peakId = initialPeak.id;
  const query = useQuery({
    queryKey: ["peak", peakId],
    queryFn: ({ signal }) => fetchJson<PeakDetail>(`/api/peaks/${peakId}`, { signal }),
    initialData: initialPeak,
  });
  // A change shows on this page, on the timeline, on the chart's markers and on the known issues.
  const refresh = () => Promise.all(["peak", "peaks", "namespace-series", "known-issues"].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  const refreshNewNormals = () => queryClient.invalidateQueries({ queryKey: ["new-normals"] });
  return { query, refresh, refreshNewNormals };
}
