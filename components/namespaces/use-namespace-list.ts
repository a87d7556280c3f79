"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { NamespaceList } from "@/lib/namespaces/contract";
import { fetchJson } from "@/lib/http/fetch-json";
import { namespaceListQuery, namespacesApiQuery, parseNamespaceListSearch, type NamespaceListSearch } from "./namespace-list-search";

/** Typing pauses this long before the search applies (ms). */
const SEARCH_DELAY_MS = 300;
/** How often the page shown is read again (ms): a new window completes every quarter hour. */
const REFRESH_MS = 60_000;

/**
 * A page of the namespace list, its search, sort and page held in the URL: `navigate` changes them
 * (any change but paging goes back to the first page), `text` is the search box as typed, which
 * the URL follows after a pause. The server's first page (when it sent one: the overview page
 * leaves it to the browser) is used while the URL asks for it; later
 * pages come from GET /api/namespaces alone: the URL changes through the history API, which the
 * router follows without rendering the page (and the rest of the overview) on the server again.
 * A new page or order is a history entry of its own (back returns to it); typing replaces the entry.
 */
export function useNamespaceList({
  initialList,
  initialSearch,
  renderedAt,
  pageSize,
}: {
  /** The page the server read for initialSearch; null: read by the browser from the start. */
  initialList: NamespaceList | null;
  initialSearch: NamespaceListSearch;
  /** When the server read the initial page (ms since the epoch). */
  renderedAt: number;
  pageSize: number;
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = parseNamespaceListSearch(searchParams);
  const apiQuery = namespacesApiQuery(search, pageSize);
  const isInitial = initialList !== null && apiQuery === namespacesApiQuery(initialSearch, pageSize);

  const list = useQuery({
    queryKey: ["namespaces", apiQuery],
    queryFn: () => fetchJson<NamespaceList>(`/api/namespaces?${apiQuery}`),
    initialData: isInitial ? (initialList ?? undefined) : undefined,
    // Ages ("3 min ago") count from when the server read the data, so both renders agree.
    initialDataUpdatedAt: isInitial ? renderedAt : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  const navigate = useCallback(
    (changes: Partial<NamespaceListSearch>, history: "push" | "replace" = "push") => {
      const next = { ...parseNamespaceListSearch(searchParams), page: 1, ...changes };
      const query = namespaceListQuery(next);
      const url = query ? `${pathname}?${query}` : pathname;
      if (history === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname, searchParams],
  );

  const [text, setText] = useState(search.q);
  // The search typed here, once the URL was told; a search the URL brings otherwise (back, forward, a link) replaces the box's text.
  const [typedQ, setTypedQ] = useState(search.q);
  const [seenQ, setSeenQ] = useState(search.q);
  if (search.q !== seenQ) {
    setSeenQ(search.q);
    if (search.q !== typedQ) {
      setText(search.q);
      setTypedQ(search.q);
    }
  }
  const applyText = useCallback(() => {
    setTypedQ(text.trim());
    navigate({ q: text.trim() }, "replace");
  }, [navigate, text]);
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(applyText, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search.q, applyText]);
  const submitText = () => {
    if (text.trim() !== search.q) applyText();
  };
  return { search, list, navigate, text, setText, submitText };
}
