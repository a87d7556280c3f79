"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/jsonified";
import type { PipelineRunRecord, StartedRunAnswer } from "@/lib/runs/contract";

export type Run = Jsonified<PipelineRunRecord>;
export type RunList = { runs: Run[]; nextBeforeId: number | null };

/** How often a run in progress is asked for its steps (ms). */
const PROGRESS_INTERVAL_MS = 1000;
/** Most runs the list shows (the API's limit). */
const MAX_LISTED_RUNS = 200;

/**
 * The runs list (polled faster while a run is in progress), the selected run (polled every second
 * while it runs), starting a run, and what starting it said.
 */
export function usePipelineRuns(initialRuns: RunList, pageSize: number, renderedAt: number) {
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState(pageSize);
  const [selectedId, setSelectedId] = useState<number | null>(initialRuns.runs[0]?.id ?? null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = useQuery({
    queryKey: ["pipeline-runs", limit],
    queryFn: () => fetchJson<RunList>(`/api/pipeline/runs?limit=${limit}`),
    initialData: limit === pageSize ? initialRuns : undefined,
    // The moment the server read the data: ages ("3 min ago") render the same on the server and in
    // the browser, which would otherwise each count from their own clock and fail hydration.
    initialDataUpdatedAt: limit === pageSize ? renderedAt : undefined,
    refetchInterval: (query) => (query.state.data?.runs.some((run) => run.status === "running") ? PROGRESS_INTERVAL_MS * 2 : 30_000),
  });
  const selected = useQuery({
    queryKey: ["pipeline-run", selectedId],
    queryFn: () => fetchJson<Run>(`/api/pipeline/runs/${selectedId}`),
    enabled: selectedId !== null,
    refetchInterval: (query) => (query.state.data?.status === "running" ? PROGRESS_INTERVAL_MS : false),
  });
  const start = useMutation({
    mutationFn: () => fetchJson<StartedRunAnswer>("/api/pipeline/runs", { method: "POST", body: "{}" }),
    onSuccess: (answer) => {
      if (answer.status === "running") {
        setSelectedId(answer.runId);
        setNotice(`Run #${answer.runId} started over ${answer.rangeText}.`);
      } else {
        setNotice(answer.message);
      }
      void queryClient.invalidateQueries({ queryKey: ["pipeline-runs"] });
    },
  });

  // The selected run is polled faster than the list: its fresher state wins in both.
  const runs = (list.data?.runs ?? []).map((entry) => (selected.data && entry.id === selected.data.id ? selected.data : entry));
  const run = selected.data ?? runs.find((candidate) => candidate.id === selectedId) ?? null;
  const startRun = () => {
    setNotice(null);
    start.mutate();
  };
  const showOlder = () => setLimit((current) => Math.min(current + pageSize, MAX_LISTED_RUNS));
  // Older runs exist beyond the list; the list stops growing at the API's limit.
  const hasOlder = Boolean(list.data?.nextBeforeId);
  const canShowOlder = limit < MAX_LISTED_RUNS;

  return { list, selected, start, runs, run, selectedId, setSelectedId, notice, startRun, hasOlder, canShowOlder, showOlder };
}
