import { formatCount, formatDateTime } from "@/lib/format";

/** A correction of a stored window's count (window_corrections), as a peak's page shows it; correctedAt is ISO. */
export type WindowCorrectionEntry = {
  previousCount: number;
  count: number;
  wasPeak: boolean;
  isPeak: boolean;
  /** recount: late documents counted by a run; reread: an ingestion read the window again; force: batch --force. */
  reason: string;
  correctedAt: string;
};

const reasonWords: Record<string, string> = {
  recount: "by late documents",
  reread: "when the window was read again",
  force: "by a forced re-ingestion (batch --force)",
};

/** "Count corrected 180 → 212 by late documents at 27 Nov 2026, 10:42; the window became a peak." */
export function describeCorrection(correction: WindowCorrectionEntry, timeZone: string): string {
  const why = reasonWords[correction.reason] ?? `(${correction.reason})`;
  const at = formatDateTime(correction.correctedAt, timeZone);
  const change =
    !correction.wasPeak && correction.isPeak
      ? "; the window became a peak"
      : correction.wasPeak && !correction.isPeak
        ? "; the window is no longer a peak (the peak is kept because it was triaged)"
        : "";
  return `Count corrected ${formatCount(correction.previousCount)} → ${formatCount(correction.count)} ${why} at ${at}${change}.`;
}
