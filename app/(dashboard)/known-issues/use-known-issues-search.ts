"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { knownIssuesSearchString, parseKnownIssuesSearch, type KnownIssuesSearch } from "./search-params";

/** Quiet time after the last keystroke in the search box before the URL (and the list) follow it (ms). */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The list's filters, held in the URL: `search` as the URL has it, `text` as typed in the search
 * box (the URL follows it after a pause), `show` to change the filters at once.
 */
export function useKnownIssuesSearch() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const searchText = searchParams.toString();
  const search = useMemo(() => parseKnownIssuesSearch(new URLSearchParams(searchText)), [searchText]);

  const [text, setText] = useState(search.q);
  const [syncedQ, setSyncedQ] = useState(search.q);
  // Back and forward change the URL under the search box; trailing spaces being typed are not a change.
  if (search.q !== syncedQ) {
    setSyncedQ(search.q);
    if (text.trim() !== search.q) setText(search.q);
  }

  const show = (next: KnownIssuesSearch) => router.replace(`${pathname}${knownIssuesSearchString(next)}`, { scroll: false });
  useEffect(() => {
    if (text.trim() === search.q) return;
    // A new search starts at the first page.
    const timer = setTimeout(
      () => router.replace(`${pathname}${knownIssuesSearchString({ ...search, q: text, page: 1 })}`, { scroll: false }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text, search, router, pathname]);

  return { search, text, setText, show };
}
