"use client";

import { usePagedListSearch } from "@/components/ui/use-paged-list-search";
import { parsePatternListSearch, patternListQuery } from "./search-params";

/** The patterns list's filters, sort and page, held in the URL (see usePagedListSearch). */
export function usePatternListSearch() {
  return usePagedListSearch(parsePatternListSearch, patternListQuery, { namespace: "", type: "" });
}
