import { z } from "zod";
import type { ListIncidentsInput } from "@/lib/incidents/contract";
import { peakStatuses, type PeakStatus } from "@/lib/peaks/contract";

/** What needs triage: the list's statuses when the URL names none. */
export const DEFAULT_INCIDENT_STATUSES: readonly PeakStatus[] = ["open", "acknowledged"];

export const ongoingChoices = ["", "ongoing", "ended"] as const;
export type OngoingChoice = (typeof ongoingChoices)[number];

/**
 * The incident list's filters as the URL holds them. `status`: no parameter is the default
 * (open and acknowledged), "all" every status, else a comma-separated list; an empty list
 * means every status. A bad value falls back rather than failing the page.
 */
export const incidentsSearchSchema = z.object({
  status: z
    .string()
    .optional()
    .transform((text): PeakStatus[] => {
      if (text === undefined || text === "") return [...DEFAULT_INCIDENT_STATUSES];
      if (text === "all") return [];
      const given = new Set(text.split(",").map((part) => part.trim()));
      const known = peakStatuses.filter((status) => given.has(status));
      return known.length > 0 ? known : [...DEFAULT_INCIDENT_STATUSES];
    })
    .catch([...DEFAULT_INCIDENT_STATUSES]),
  namespace: z.string().trim().max(200).catch(""),
  ongoing: z.enum(ongoingChoices).catch(""),
});
export type IncidentsSearch = z.output<typeof incidentsSearchSchema>;

export const defaultIncidentsSearch: IncidentsSearch = { status: [...DEFAULT_INCIDENT_STATUSES], namespace: "", ongoing: "" };

type RawSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

function firstValue(params: RawSearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The filters of a page request's searchParams or of the browser's URL. */
export function parseIncidentsSearch(params: RawSearchParams): IncidentsSearch {
  return incidentsSearchSchema.parse({
    status: firstValue(params, "status"),
    namespace: firstValue(params, "namespace") ?? "",
    ongoing: firstValue(params, "ongoing") ?? "",
  });
}

const isAllStatuses = (statuses: readonly PeakStatus[]) => statuses.length === 0 || statuses.length === peakStatuses.length;
const isDefaultStatuses = (statuses: readonly PeakStatus[]) =>
  statuses.length === DEFAULT_INCIDENT_STATUSES.length && DEFAULT_INCIDENT_STATUSES.every((status) => statuses.includes(status));

/** Whether the filters differ from the default view (what needs triage, everywhere). */
export function isFiltered(search: IncidentsSearch): boolean {
  return !isDefaultStatuses(search.status) || search.namespace !== "" || search.ongoing !== "";
}

/** The query string of the filters; the default view is the plain URL ("" or "?status=all&ongoing=ongoing"). */
export function incidentsSearchString(search: IncidentsSearch): string {
  const params = new URLSearchParams();
  if (isAllStatuses(search.status)) params.set("status", "all");
  else if (!isDefaultStatuses(search.status)) params.set("status", peakStatuses.filter((status) => search.status.includes(status)).join(","));
  if (search.namespace !== "") params.set("namespace", search.namespace);
  if (search.ongoing !== "") params.set("ongoing", search.ongoing);
  const text = params.toString().replaceAll("%2C", ",");
  return text === "" ? "" : `?${text}`;
}

/** The incidents API's input for the filters: every status is no status filter. */
export function listInputFromSearch(search: IncidentsSearch): ListIncidentsInput {
  return {
    ...(isAllStatuses(search.status) ? {} : { status: search.status.join(",") }),
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
