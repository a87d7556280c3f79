import { z } from "zod";
import type { ListKnownIssuesInput } from "@/lib/known-issues/contract";
import { firstSearchParam, type RawSearchParams } from "@/lib/search-params";

/** Known issues per page of the list. */
export const KNOWN_ISSUES_PAGE_SIZE = 50;

export const statusFilters = ["all", "active", "resolved"] as const;
export type StatusFilter = (typeof statusFilters)[number];

/** The list's filters as the URL holds them; a bad value falls back to its default rather than failing the page. */
export const knownIssuesSearchSchema = z.object({
  status: z.enum(statusFilters).catch("all"),
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(20_000).catch(1),
});
export type KnownIssuesSearch = z.output<typeof knownIssuesSearchSchema>;

/** The filters of a page request's searchParams or of the browser's URL. */
export function parseKnownIssuesSearch(params: RawSearchParams): KnownIssuesSearch {
  return knownIssuesSearchSchema.parse({
    status: firstSearchParam(params, "status") ?? "all",
    q: firstSearchParam(params, "q") ?? "",
    page: firstSearchParam(params, "page") ?? 1,
  });
}

/** The query string for the filters, defaults left out so that the plain URL is the default view ("" or "?status=active&q=db"). */
export function knownIssuesSearchString(search: KnownIssuesSearch): string {
  const params = new URLSearchParams();
  if (search.status !== "all") params.set("status", search.status);
  if (search.q.trim() !== "") params.set("q", search.q.trim());
  if (search.page !== 1) params.set("page", String(search.page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** The list API's input for the filters and the page. */
export function listInputFromSearch(search: KnownIssuesSearch): ListKnownIssuesInput {
  return {
    ...(search.status === "all" ? {} : { status: search.status }),
    ...(search.q === "" ? {} : { q: search.q }),
    offset: (search.page - 1) * KNOWN_ISSUES_PAGE_SIZE,
    limit: KNOWN_ISSUES_PAGE_SIZE,
  };
}

/** The query string of GET /api/known-issues for the filters and the page. */
export function knownIssuesApiQuery(search: KnownIssuesSearch): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(listInputFromSearch(search))) params.set(key, String(value));
  return params.toString();
}
