"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";

/**
 * A list's filters held in its URL: `search` as parsed from the query string, and `show` to
 * change them. The controls show a change at once; the URL follows (router.replace is
 * asynchronous), and back and forward change the URL under them.
 */
export function useUrlSearch<Search>(
  parse: (params: URLSearchParams) => Search,
  toQueryString: (search: Search) => string,
): { search: Search; show: (next: Search) => void } {
  const router = useRouter();
  const pathname = usePathname();
  const searchText = useSearchParams().toString();
  const urlSearch = useMemo(() => parse(new URLSearchParams(searchText)), [parse, searchText]);
  const [search, setSearch] = useState(urlSearch);
  const [syncedText, setSyncedText] = useState(searchText);
  if (searchText !== syncedText) {
    setSyncedText(searchText);
    setSearch(urlSearch);
  }
  const show = (next: Search) => {
    setSearch(next);
    router.replace(`${pathname}${toQueryString(next)}`, { scroll: false });
  };
  return { search, show };
}
