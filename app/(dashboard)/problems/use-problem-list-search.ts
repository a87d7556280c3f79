"use client";

import { usePagedListSearch } from "@/components/ui/use-paged-list-search";
import { parseProblemListSearch, problemListQuery } from "./search-params";

/** The Problems list's period, filters and page, held in the URL (see usePagedListSearch). */
export function useProblemListSearch() {
  return usePagedListSearch(parseProblemListSearch, problemListQuery, { scope: "", known: "" });
}
