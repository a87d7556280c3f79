import { z } from "zod";
import type { ListPeaksInput } from "@/lib/peaks/contract";
import { localDaysToRange } from "@/lib/peaks/timeline";
import { peakLabels, peakSeverities, type PeakSeverity } from "@/lib/peaks/contract";
import { isTriageStatuses, parseStatusParam, statusInput, statusParam, TRIAGE_STATUSES } from "@/lib/peaks/status-filter";
import { firstSearchParam, type RawSearchParams } from "@/lib/search-params";

const localDaySchema = z.iso.date();

/** A comma-separated list keeping the known values, in the order of `values` and once each. */
function listOf<Value extends string>(values: readonly Value[]) {
  return z
    .string()
    .transform((text) => {
      const given = new Set(text.split(",").map((part) => part.trim()));
      return values.filter((value) => given.has(value));
    })
    .catch([]);
}

/**
 * The timeline's filters as the URL holds them (`status` as parseStatusParam reads it: what needs
 * triage by default, "all" for every status); a bad value falls back to its default rather than
 * failing the page.
 */
export const peaksSearchSchema = z
  .object({
    status: z
      .string()
      .optional()
      .transform(parseStatusParam)
      .catch([...TRIAGE_STATUSES]),
    severity: listOf<PeakSeverity>(peakSeverities),
    namespace: z.string().trim().max(200).catch(""),
    label: z.enum(peakLabels).or(z.literal("")).catch(""),
    /** First local day shown (YYYY-MM-DD in the configured timezone), or "". */
    from: localDaySchema.or(z.literal("")).catch(""),
    /** Last local day shown, included, or "". */
    to: localDaySchema.or(z.literal("")).catch(""),
  })
  // Days given the wrong way round mean the range between them.
  .transform((search) => (search.from !== "" && search.to !== "" && search.from > search.to ? { ...search, from: search.to, to: search.from } : search));
export type PeaksSearch = z.output<typeof peaksSearchSchema>;

/** The timeline's default view: what needs triage, every severity, namespace, label and day. */
export const defaultPeaksSearch: PeaksSearch = { status: [...TRIAGE_STATUSES], severity: [], namespace: "", label: "", from: "", to: "" };

/** The filters of a page request's searchParams or of the browser's URL. */
export function parsePeaksSearch(params: RawSearchParams): PeaksSearch {
  return peaksSearchSchema.parse({
    status: firstSearchParam(params, "status"),
    ...Object.fromEntries(["severity", "namespace", "label", "from", "to"].map((key) => [key, firstSearchParam(params, key) ?? ""])),
  });
}

/** Whether the filters differ from the default view (what needs triage, everything else unfiltered). */
export function isFiltered(search: PeaksSearch): boolean {
  return (
    !isTriageStatuses(search.status) || search.severity.length > 0 || search.namespace !== "" || search.label !== "" || search.from !== "" || search.to !== ""
  );
}

/** The query string of the filters, defaults left out so that the plain URL is the default view ("" or "?status=all&from=2026-11-24"). */
export function peaksSearchString(search: PeaksSearch): string {
  const params = new URLSearchParams();
  const status = statusParam(search.status);
  if (status !== undefined) params.set("status", status);
  if (search.severity.length > 0) params.set("severity", search.severity.join(","));
  if (search.namespace !== "") params.set("namespace", search.namespace);
  if (search.label !== "") params.set("label", search.label);
  if (search.from !== "") params.set("from", search.from);
  if (search.to !== "") params.set("to", search.to);
  // Commas are safe in a query string and keep the lists readable.
  const text = params.toString().replaceAll("%2C", ",");
  return text === "" ? "" : `?${text}`;
}

/** The peaks API's input for the filters: lists comma-separated, local days as instants in the timezone. */
export function listInputFromSearch(search: PeaksSearch, timeZone: string): ListPeaksInput {
  const status = statusInput(search.status);
  return {
    ...(status === undefined ? {} : { status }),
    ...(search.severity.length > 0 ? { severity: search.severity.join(",") } : {}),
    ...(search.namespace !== "" ? { namespace: search.namespace } : {}),
    ...(search.label !== "" ? { label: search.label } : {}),
    ...localDaysToRange({ ...(search.from !== "" ? { from: search.from } : {}), ...(search.to !== "" ? { to: search.to } : {}) }, timeZone),
  };
}

/** The query string of GET /api/peaks for the filters, a page size and a cursor. */
export function listQueryString(search: PeaksSearch, timeZone: string, page: { limit: number; cursor?: string | null }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(listInputFromSearch(search, timeZone))) if (typeof value === "string") params.set(key, value);
  params.set("limit", String(page.limit));
  if (page.cursor) params.set("cursor", page.cursor);
  return `?${params.toString()}`;
}
