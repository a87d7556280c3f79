"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { fetchJson } from "@/lib/http/fetch-json";
import { isFixedRange, namespaceSearchString, parseNamespaceSearch, rangeKey, seriesQuery, type NamespaceSearch } from "./search-params";

/** The series of a range; a preset's instants are taken when it is fetched. */
function fetchSeries(namespace: string, search: NamespaceSearch, points: number): Promise<NamespaceSeries> {
  return fetchJson<NamespaceSeries>(`/api/namespaces/${encodeURIComponent(namespace)}/series?${seriesQuery(search, Date.now(), points)}`);
}

/**
 * The URL's range of a namespace and its series (at most `points` points), the server's answer
 * first; `navigate` and `showFixed` (UTC ms) change the range through the URL.
 */
export function useNamespaceSeries(namespace: string, initialSeries: NamespaceSeries | null, initialKey: string, points: number) {
  const router = useRouter();
  const pathname = usePathname();
  const search = parseNamespaceSearch(useSearchParams());
  const key = rangeKey(search);
  const [isNavigating, startTransition] = useTransition();

  const query = useQuery({
    queryKey: ["namespace-series", namespace, key],
    queryFn: () => fetchSeries(namespace, search, points),
    // Every range change goes through the server page, which answers with the new range's series.
    initialData: key === initialKey && initialSeries ? initialSeries : undefined,
    placeholderData: keepPreviousData,
    // A preset's range moves with the clock; a fixed one does not change.
    refetchInterval: isFixedRange(search) ? false : 60_000,
  });

  // Every range change is a history entry, so the browser's back button undoes a zoom or a preset.
  const navigate = (next: NamespaceSearch) => startTransition(() => router.push(`${pathname}${namespaceSearchString(next)}`, { scroll: false }));
  const showFixed = (from: number, to: number) => navigate({ range: search.range, from: new Date(from).toISOString(), to: new Date(to).toISOString() });

  const series = query.data;
  const isBusy = isNavigating || query.isPlaceholderData || (query.isFetching && !series);
  return { search, key, query, series, isBusy, navigate, showFixed };
}
