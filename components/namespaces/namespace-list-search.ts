import { z } from "zod";
import { namespaceSorts, type NamespaceListInput } from "@/lib/namespaces/contract";
import { firstSearchParams, type RawSearchParams } from "@/lib/search-params";

// The namespace list's state lives in the URL: ?q=&sort=&page=. A value that does not parse falls
// back to its default, so that an edited or stale link still opens.

/** Rows per page: the overview's list, whose first page holds what needs attention, and the namespaces page's. */
export const OVERVIEW_NAMESPACE_PAGE_SIZE = 25;
export const NAMESPACES_PAGE_SIZE = 50;

const searchSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(namespaceSorts).catch("attention"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type NamespaceListSearch = z.output<typeof searchSchema>;

const defaults: NamespaceListSearch = searchSchema.parse({});

export function parseNamespaceListSearch(params: RawSearchParams): NamespaceListSearch {
  return searchSchema.parse(firstSearchParams(params));
}

/** The URL query of a list state, without the values that are defaults ("" for none). */
export function namespaceListQuery(search: NamespaceListSearch): string {
  const query = new URLSearchParams();
  for (const key of ["q", "sort", "page"] as const) {
    if (search[key] !== defaults[key]) query.set(key, String(search[key]));
  }
  return query.toString();
}

/** What a list state asks of listNamespaces (and of GET /api/namespaces), `pageSize` rows a page. */
export function toNamespaceListInput(search: NamespaceListSearch, pageSize: number): Required<NamespaceListInput> {
  return { q: search.q, sort: search.sort, offset: (search.page - 1) * pageSize, limit: pageSize };
}

/** The query string of GET /api/namespaces for a list state. */
export function namespacesApiQuery(search: NamespaceListSearch, pageSize: number): string {
  const input = toNamespaceListInput(search, pageSize);
  return new URLSearchParams({ q: input.q, sort: input.sort, offset: String(input.offset), limit: String(input.limit) }).toString();
}
