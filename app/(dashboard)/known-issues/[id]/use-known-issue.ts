"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { KnownIssueDetail, KnownIssueSummary } from "@/lib/known-issues/contract";
import { fetchJson } from "@/lib/http/fetch-json";

/** A known issue, kept fresh from the API; `refresh` takes a change's answer at once and refetches the rest. */
export function useKnownIssue(initialIssue: KnownIssueDetail) {
  const queryClient = useQueryClient();
  const issueId = initialIssue.id;
  const query = useQuery({
    queryKey: ["known-issue", issueId],
    queryFn: ({ signal }) => fetchJson<KnownIssueDetail>(`/api/known-issues/${issueId}`, { signal }),
    initialData: initialIssue,
  });
  const refresh = (summary: KnownIssueSummary, knownPeak?: KnownIssueDetail["knownPeak"]) => {
    // The answer has the issue's new fields; its peaks and who resolved it come with the refetch.
    queryClient.setQueryData<KnownIssueDetail>(["known-issue", issueId], (old) => (old ? { ...old, ...summary, ...(knownPeak ? { knownPeak } : {}) } : old));
    void queryClient.invalidateQueries({ queryKey: ["known-issue", issueId] });
    void queryClient.invalidateQueries({ queryKey: ["known-issues"] });
  };
  return { query, refresh };
}
