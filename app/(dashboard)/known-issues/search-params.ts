import { z } from "zod";
import type { ListKnownIssuesInput } from "@/lib/known-issues/contract";

export const statusFilters = ["all", "active", "resolved"] as const;
export type StatusFilter = (typeof statusFilters)[number];

/** The list's filters as the URL holds them; a bad value falls back to its default rather than failing the page. */
export const knownIssuesSearchSchema = z.object({
  status: z.enum(statusFilters).catch("all"),
  q: z.string().trim().max(200).catch(""),
});
export type KnownIssuesSearch = z.output<typeof knownIssuesSearchSchema>;

type RawSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

function firstValue(params: RawSearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The filters of a page request's searchParams or of the browser's URL. */
export function parseKnownIssuesSearch(params: RawSearchParams): KnownIssuesSearch {
  return knownIssuesSearchSchema.parse({ status: firstValue(params, "status") ?? "all", q: firstValue(params, "q") ?? "" });
}

/** The query string for the filters, defaults left out so that the plain URL is the default view ("" or "?status=active&q=db"). */
export function knownIssuesSearchString(search: KnownIssuesSearch): string {
  const params = new URLSearchParams();
  if (search.status !== "all") params.set("status", search.status);
  if (search.q.trim() !== "") params.set("q", search.q.trim());
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** The list API's input for the filters. */
export function listInputFromSearch(search: KnownIssuesSearch): ListKnownIssuesInput {
  return { ...(search.status === "all" ? {} : { status: search.status }), ...(search.q === "" ? {} : { q: search.q }) };
}
