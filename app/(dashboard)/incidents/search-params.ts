import { z } from "zod";
import type { ListIncidentsInput } from "@/lib/incidents/contract";
import { isTriageStatuses, parseStatusParam, statusInput, statusParam, TRIAGE_STATUSES } from "@/lib/peaks/status-filter";
import { firstSearchParam, type RawSearchParams } from "@/lib/search-params";

export const ongoingChoices = ["", "ongoing", "ended"] as const;
export type OngoingChoice = (typeof ongoingChoices)[number];

/**
 * The incident list's filters as the URL holds them (`status` as parseStatusParam reads it:
 * what needs triage by default). A bad value falls back rather than failing the page.
 */
export const incidentsSearchSchema = z.object({
  status: z
    .string()
    .optional()
    .transform(parseStatusParam)
    .catch([...TRIAGE_STATUSES]),
  namespace: z.string().trim().max(200).catch(""),
  ongoing: z.enum(ongoingChoices).catch(""),
});
export type IncidentsSearch = z.output<typeof incidentsSearchSchema>;

export const defaultIncidentsSearch: IncidentsSearch = { status: [...TRIAGE_STATUSES], namespace: "", ongoing: "" };

/** The filters of a page request's searchParams or of the browser's URL. */
export function parseIncidentsSearch(params: RawSearchParams): IncidentsSearch {
  return incidentsSearchSchema.parse({
    status: firstSearchParam(params, "status"),
    namespace: firstSearchParam(params, "namespace") ?? "",
    ongoing: firstSearchParam(params, "ongoing") ?? "",
  });
}

/** Whether the filters differ from the default view (what needs triage, everywhere). */
export function isFiltered(search: IncidentsSearch): boolean {
  return !isTriageStatuses(search.status) || search.namespace !== "" || search.ongoing !== "";
}

/** The query string of the filters; the default view is the plain URL ("" or "?status=all&ongoing=ongoing"). */
export function incidentsSearchString(search: IncidentsSearch): string {
  const params = new URLSearchParams();
  const status = statusParam(search.status);
  if (status !== undefined) params.set("status", status);
  if (search.namespace !== "") params.set("namespace", search.namespace);
  if (search.ongoing !== "") params.set("ongoing", search.ongoing);
  const text = params.toString().replaceAll("%2C", ",");
  return text === "" ? "" : `?${text}`;
}

/** The incidents API's input for the filters: every status is no status filter. */
export function listInputFromSearch(search: IncidentsSearch): ListIncidentsInput {
  const status = statusInput(search.status);
  return {
    ...(status === undefined ? {} : { status }),
    ...(search.namespace !== "" ? { namespace: search.namespace } : {}),
    ...(search.ongoing !== "" ? { ongoing: search.ongoing === "ongoing" ? ("true" as const) : ("false" as const) } : {}),
  };
}

/** The query string of GET /api/incidents for the filters, a page size and a cursor. */
export function listQueryString(search: IncidentsSearch, page: { limit: number; cursor?: string | null }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(listInputFromSearch(search))) if (typeof value === "string") params.set(key, value);
  params.set("limit", String(page.limit));
  if (page.cursor) params.set("cursor", page.cursor);
  return `?${params.toString()}`;
}
