"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { parseProblemListSearch, problemListQuery, type ProblemListSearch } from "./search-params";

/** Typing pauses this long before the search applies (ms). */
const SEARCH_DELAY_MS = 300;

/**
 * The Problems list's period, filters and page, held in the URL: `navigate` changes them (any
 * change but paging goes back to the first page), `text` is the search box as typed, which the
 * URL follows after a pause.
 */
export function useProblemListSearch() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = parseProblemListSearch(searchParams);

  const navigate = useCallback(
    (changes: Partial<ProblemListSearch>) => {
      const next = { ...parseProblemListSearch(searchParams), page: 1, ...changes };
      const query = problemListQuery(next);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  const [text, setText] = useState(search.q);
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => navigate({ q: text.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search.q, navigate]);

  const submitText = () => {
    if (text.trim() !== search.q) navigate({ q: text.trim() });
  };
  const clearFilters = () => {
    setText("");
    navigate({ q: "", scope: "", known: "" });
  };
  return { search, navigate, text, setText, submitText, clearFilters };
}
