import { z } from "zod";
import { problemPath, problemScopes, type ListProblemsInput } from "@/lib/problems/contract";
import { PROBLEM_PERIOD_CHOICES } from "@/lib/problems/words";
import { firstSearchParams, type RawSearchParams } from "@/lib/search-params";

// The Problems page's state lives in the URL: ?since=&q=&scope=&known=&page=; a problem's page
// keeps its period (?since=). A value that does not parse falls back to its default, so that an
// edited or stale link still opens.

/** Rows per page of the list. */
export const PROBLEMS_PAGE_SIZE = 50;

export const knownChoices = ["", "unknown", "known"] as const;
export type KnownChoice = (typeof knownChoices)[number];

const since = z.enum(PROBLEM_PERIOD_CHOICES).catch("24h");

const listSearchSchema = z.object({
  since,
  q: z.string().trim().max(200).catch(""),
  scope: z.enum(["", ...problemScopes]).catch(""),
  known: z.enum(knownChoices).catch(""),
  page: z.coerce.number().int().min(1).max(20_000).catch(1),
});
export type ProblemListSearch = z.output<typeof listSearchSchema>;

const detailSearchSchema = z.object({ since });
export type ProblemDetailSearch = z.output<typeof detailSearchSchema>;

const defaults: ProblemListSearch = listSearchSchema.parse({});

export function parseProblemListSearch(params: RawSearchParams): ProblemListSearch {
  return listSearchSchema.parse(firstSearchParams(params));
}

export function parseProblemDetailSearch(params: RawSearchParams): ProblemDetailSearch {
  return detailSearchSchema.parse({ since: firstSearchParams(params).since });
}

/** Whether any filter narrows the list (the period is not a filter: it is what the list is of). */
export function hasProblemFilters(search: ProblemListSearch): boolean {
  return search.q !== "" || search.scope !== "" || search.known !== "";
}

/** The URL query of a list state, without the values that are defaults ("" for none). */
export function problemListQuery(search: ProblemListSearch): string {
  const query = new URLSearchParams();
  for (const key of ["since", "q", "scope", "known", "page"] as const) {
    if (search[key] !== defaults[key]) query.set(key, String(search[key]));
  }
  return query.toString();
}

/** What the list state asks of listProblems (and of GET /api/problems). */
export function toListProblemsInput(search: ProblemListSearch): ListProblemsInput {
  return {
    since: search.since,
    q: search.q || undefined,
    scope: search.scope || undefined,
    known: search.known === "" ? undefined : search.known === "known" ? "true" : "false",
    limit: PROBLEMS_PAGE_SIZE,
    offset: (search.page - 1) * PROBLEMS_PAGE_SIZE,
  };
}

/** The query string of GET /api/problems for a list state. */
export function problemsApiQuery(search: ProblemListSearch): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(toListProblemsInput(search))) if (value !== undefined) query.set(key, String(value));
  return query.toString();
}

/** The path of a problem's page over a period (the default period is the plain path). */
export function problemHref(id: string, since: string): string {
  return `${problemPath(id)}${since === defaults.since ? "" : `?since=${since}`}`;
}
