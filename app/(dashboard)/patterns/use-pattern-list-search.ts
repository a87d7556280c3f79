"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { parsePatternListSearch, patternListQuery, type PatternListSearch } from "./search-params";

/** Typing pauses this long before the search applies (ms). */
const SEARCH_DELAY_MS = 300;

/**
 * The patterns list's filters, sort and page, held in the URL: `navigate` changes them (any change
 * but paging goes back to the first page), `text` is the search box as typed, which the URL
 * follows after a pause.
 */
export function usePatternListSearch() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = parsePatternListSearch(searchParams);

  const navigate = useCallback(
    (changes: Partial<PatternListSearch>) => {
      // Any change but paging starts again at the first page.
      const next = { ...parsePatternListSearch(searchParams), page: 1, ...changes };
      const query = patternListQuery(next);
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
    navigate({ q: "", namespace: "", type: "" });
  };
  return { search, navigate, text, setText, submitText, clearFilters };
}
