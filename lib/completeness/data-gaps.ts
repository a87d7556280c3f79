import { formatInstantNear, formatSpan } from "./time-words";

/** An open data-gap episode (data_gaps, closed_at null) as the overview answers with it; times are ISO (UTC). */
export type OpenDataGap = {
  id: number;
  /** stale: the log source is behind; silent: a namespace that usually logs errors stopped. */
  kind: "stale" | "silent";
  /** "" for a stale source; the namespace for a silent one. */
  subject: string;
  /** Where the data stops: the source's newest document, or the start of the namespace's silence. */
  dataUntil: string | null;
  detail: string;
  openedAt: string;
  /** When a run last saw the gap still open. */
  lastSeenAt: string;
};

/**
 * An open episode in one sentence, relative to `nowMs`: "Log source is 52 min behind: no data
 * since 10:42", "payments has logged no errors for 1 h, where it usually does".
 */
export function describeDataGap(gap: OpenDataGap, nowMs: number, timeZone: string): string {
  if (gap.kind === "silent") {
    const sinceMs = Date.parse(gap.dataUntil ?? gap.openedAt);
    return `${gap.subject} has logged no errors for ${formatSpan(nowMs - sinceMs)}, where it usually does`;
  }
  if (gap.dataUntil === null) return `Log source holds no recent data (noticed at ${formatInstantNear(Date.parse(gap.openedAt), nowMs, timeZone)})`;
  const untilMs = Date.parse(gap.dataUntil);
  return `Log source is ${formatSpan(nowMs - untilMs)} behind: no data since ${formatInstantNear(untilMs, nowMs, timeZone)}`;
}
