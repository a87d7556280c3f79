"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";

/** Typing pauses this long before the search applies (ms). */
const SEARCH_DELAY_MS = 300;

/**
 * A paged list's search, filters and page, held in the URL: `navigate` changes them (any change
 * but paging goes back to the first page), `text` is the search box as typed, which the URL
 * follows after a pause, and `clearFilters` empties the box and applies `cleared`.
 */
export function usePagedListSearch<Search extends { q: string; page: number }>(
  parse: (params: URLSearchParams) => Search,
  toQuery: (search: Search) => string,
  cleared: Partial<Search>,
) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = parse(new URLSearchParams(searchParams.toString()));

  const navigate = useCallback(
    (changes: Partial<Search>) => {
      const next: Search = { ...parse(new URLSearchParams(searchParams.toString())), page: 1, ...changes };
      const query = toQuery(next);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [parse, toQuery, pathname, router, searchParams],
  );

  const [text, setText] = useState(search.q);
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => navigate({ q: text.trim() } as Partial<Search>), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search.q, navigate]);

  const submitText = () => {
    if (text.trim() !== search.q) navigate({ q: text.trim() } as Partial<Search>);
  };
  const clearFilters = () => {
    setText("");
    navigate({ q: "", ...cleared } as Partial<Search>);
  };
  return { search, navigate, text, setText, submitText, clearFilters };
}
