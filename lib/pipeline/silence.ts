import { effectiveBaseline, type BaselineTable } from "./baseline";
import type { WindowGrid } from "./time";

/**
 * Errors a namespace's baselines must expect over the quiet windows before its silence is
 * believed: with Poisson counts, no error at all where 10 are expected happens by chance about
 * once in 22,000 times (e^-10).
 */
export const SILENT_EXPECTED_ERRORS = 10;

export type SilentNamespace = {
  namespace: string;
  /** Start of the run of windows without errors (UTC ms). */
  sinceMs: number;
  /** Errors the baselines expected over those windows. */
  expected: number;
};

/**
 * Namespaces that went silent: their last `windowCount` windows before `untilMs` are all stored
 * (read, not gaps) with no error, while their baselines expected at least
 * SILENT_EXPECTED_ERRORS errors over them. A dead shipper for one namespace looks exactly like
 * this; a namespace that is quiet at night does not, because its baselines expect little then.
 */
export function findSilentNamespaces(
  series: readonly { namespace: string; windows: readonly { start: number; count: number }[] }[],
  baseline: BaselineTable,
  grid: WindowGrid,
  options: { untilMs: number; windowCount: number },
): SilentNamespace[] {
  const windowsPerHour = 60 / grid.windowMinutes;
  const silent: SilentNamespace[] = [];
  for (const { namespace, windows } of series) {
    const countOf = new Map(windows.map((window) => [window.start, window.count]));
    let start = grid.windowStartOf(options.untilMs - 1);
    let quiet = 0;
    let expected = 0;
    let sinceMs = options.untilMs;
    // Walk back over stored windows without errors; a gap or an error ends the run.
    while (countOf.get(start) === 0) {
      if (quiet < options.windowCount) {
        const usual = effectiveBaseline(baseline, namespace, grid.slotOf(start), windowsPerHour);
        if (usual.source !== "insufficient") expected += usual.mean;
      }
      quiet += 1;
      sinceMs = start;
      start = grid.windowStartOf(start - 1);
    }
    if (quiet >= options.windowCount && expected >= SILENT_EXPECTED_ERRORS) silent.push({ namespace, sinceMs, expected });
  }
  return silent;
}
