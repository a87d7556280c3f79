import { peakStatuses, type PeakStatus } from "./contract";

// The status filter of the peak timeline and the incident list as their URLs hold it, safe for
// the browser. Both lists open on what needs triage; an empty list means every status.

/** What needs triage: the statuses a list shows when its URL names none. */
export const TRIAGE_STATUSES: readonly PeakStatus[] = ["open", "acknowledged"];

/**
 * The `status` parameter of a list's URL: absent or blank is what needs triage, "all" every status
 * (an empty list), else the statuses it names in their canonical order, once each; a value naming
 * no known status falls back to what needs triage rather than failing the page.
 */
export function parseStatusParam(text: string | undefined): PeakStatus[] {
  if (text === undefined || text.trim() === "") return [...TRIAGE_STATUSES];
  if (text.trim() === "all") return [];
  const given = new Set(text.split(",").map((part) => part.trim()));
  const known = peakStatuses.filter((status) => given.has(status));
  return known.length > 0 ? known : [...TRIAGE_STATUSES];
}

/** Whether the list shows every status (none named, or all of them). */
export function isEveryStatus(statuses: readonly PeakStatus[]): boolean {
  return statuses.length === 0 || statuses.length === peakStatuses.length;
}

/** Whether the list shows exactly what needs triage (the default). */
export function isTriageStatuses(statuses: readonly PeakStatus[]): boolean {
  return statuses.length === TRIAGE_STATUSES.length && TRIAGE_STATUSES.every((status) => statuses.includes(status));
}

/** The `status` parameter for a URL: undefined for the default (what needs triage), "all", or the list. */
export function statusParam(statuses: readonly PeakStatus[]): string | undefined {
  if (isEveryStatus(statuses)) return "all";
  if (isTriageStatuses(statuses)) return undefined;
  return peakStatuses.filter((status) => statuses.includes(status)).join(",");
}

/** The API's `status` input: undefined when every status is shown (no filter). */
export function statusInput(statuses: readonly PeakStatus[]): string | undefined {
  return isEveryStatus(statuses) ? undefined : peakStatuses.filter((status) => statuses.includes(status)).join(",");
}

/**
 * One status box checked or unchecked. With every status shown (an empty list), unchecking one
 * starts from all of them; unchecking the last one shows every status again.
 */
export function toggleStatus(statuses: readonly PeakStatus[], status: PeakStatus, isOn: boolean): PeakStatus[] {
  const next = new Set(statuses.length === 0 ? peakStatuses : statuses);
  if (isOn) next.add(status);
  else next.delete(status);
  return peakStatuses.filter((candidate) => next.has(candidate));
}
