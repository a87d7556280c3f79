import { formatAge } from "@/lib/format";
import { formatInstantNear } from "./time-words";

/** How fresh a namespace's stored data is (ISO instants, UTC). */
export type NamespaceFreshness = {
  namespace: string;
  /** End of the newest stored window; null when none is stored. */
  dataUntil: string | null;
  /** End of the newest stored window with at least one error; null when none is stored. */
  lastErrorUntil: string | null;
  /** The newest stored window ends further behind the last completed window than a source may be (stale_after_minutes). */
  isBehind: boolean;
};

/** The newest stored windows of a namespace as the database tells them (window starts, UTC ms). */
export type NewestWindows = { namespace: string; latestStart: number | null; lastErrorStart: number | null };

/**
 * Each namespace's freshness at the end of the last completed window (`completedEndMs`): it is
 * behind when its newest stored window ends more than `staleAfterMs` before that, or when it
 * has none. A window a run has not reached yet is normal; only a lag a stale source would show
 * is reported.
 */
export function judgeFreshness(
  rows: readonly NewestWindows[],
  options: { completedEndMs: number; windowMs: number; staleAfterMs: number },
): NamespaceFreshness[] {
  return rows.map((row) => {
    const dataUntilMs = row.latestStart === null ? null : row.latestStart + options.windowMs;
    return {
      namespace: row.namespace,
      dataUntil: dataUntilMs === null ? null : new Date(dataUntilMs).toISOString(),
      lastErrorUntil: row.lastErrorStart === null ? null : new Date(row.lastErrorStart + options.windowMs).toISOString(),
      isBehind: dataUntilMs === null || options.completedEndMs - dataUntilMs > options.staleAfterMs,
    };
  });
}

/** A namespace's freshness in words: "last error 3 min ago" and, when it is behind, "no data since 02:00". */
export function describeFreshness(freshness: NamespaceFreshness | undefined, nowMs: number, timeZone: string): { lastError: string; behind: string | null } {
  if (!freshness || freshness.dataUntil === null) return { lastError: "no error stored", behind: "no data stored" };
  return {
    lastError: freshness.lastErrorUntil === null ? "no error stored" : `last error ${formatAge(freshness.lastErrorUntil, nowMs)}`,
    behind: freshness.isBehind ? `no data since ${formatInstantNear(Date.parse(freshness.dataUntil), nowMs, timeZone)}` : null,
  };
}
